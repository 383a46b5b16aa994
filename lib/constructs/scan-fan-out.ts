/**
 * The many-accounts path: a Standard state machine that lists the targets (configured accounts, or
 * every ACTIVE account from AWS Organizations, page by page) x regions, scans each target in a Map
 * state with bounded concurrency and retries, then merges the per-target results into one scan.
 *
 * Payload limit (256 KB): workers store their snapshot target in the table (gzipped chunks, see
 * lambdas/adapters/fanout) and the Map discards their outputs; the merge reads the table. Organizations
 * accounts are listed one page (20 accounts) at a time, and each page runs its own Map, so no state
 * holds the account details. With the reader role's StackSet (`enrolment`), its stack instances are
 * read first and the state carries the enrolled and not-enrolled account ids (15 bytes each: about
 * 15,000 ids fit the payload), so only accounts with the reader role are scanned and the others are
 * recorded as not enrolled instead of failing AssumeRole. A worker that still fails after its retries is recorded in the
 * table by the Catch (the merge turns it into a target with a collection error: the scan is PARTIAL).
 *
 * DynamoPutItem of the Catch writes a table encrypted with a customer-managed key: CDK's task grants
 * only dynamodb:PutItem (aws-cdk #10010), so the state machine role gets the key's actions through
 * DynamoDB too, and the write is retried; without both, one failed target failed the whole scan.
 *
 * History: a Standard execution holds at most 25,000 events
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html); an inline Map
 * iteration with a retried Lambda task costs about seven of them, so an inline Map stops near
 * 3,000 targets. When the targets may exceed INLINE_MAP_TARGET_LIMIT (every organization, or long
 * account lists) the Map is a Distributed Map: each target runs as a child workflow execution with
 * its own history, and the parent records only the Map Run. Its ToleratedFailurePercentage is 0 on
 * purpose: a failed worker is already caught and recorded as a PARTIAL target inside its child
 * execution, so a child that still fails could not even record its failure, and a scan missing a
 * target without saying so must not finish as COMPLETE: the Map Run fails, the execution fails and
 * its alarm fires. 0 is also the service default, so CDK leaves the field out of the definition
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#maprun-fail-threshold).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { FANOUT_ATTRIBUTES, FANOUT_KEYS } from '../../lambdas/adapters/fanout/fanout-keys';
import { TTL_ATTRIBUTE } from '../../lambdas/adapters/store/table-design';
import { grantTableKey } from './table-access';

/** Above this many account x region targets the Map is distributed (history limit, see above). */
export const INLINE_MAP_TARGET_LIMIT = 1000;

export type TargetSource = 'self' | 'accounts' | 'organization';

export interface ScanFanOutProps {
  readonly listTargets: lambda.IFunction;
  readonly scanTarget: lambda.IFunction;
  readonly merge: lambda.IFunction;
  /** The failure path (lambdas/handlers/scan-failed.ts): records the scan FAILED, releases its lease. */
  readonly scanFailed: lambda.IFunction;
  readonly table: dynamodb.ITable;
  /** The table's customer-managed key (RecordTargetFailure writes through DynamoDB with it). */
  readonly tableKey: kms.IKey;
  readonly source: TargetSource;
  /** Account x region targets when they are known at synth (self / accounts); undefined for an organization. */
  readonly knownTargetCount?: number;
  /**
   * Accounts mode: the configured account ids, handed to the first step in its input from the
   * definition (a Lambda environment holds at most 4 KB, about 270 ids).
   */
  readonly configuredAccounts?: readonly string[];
  /**
   * Organization mode with the reader role's StackSet administered from this account: only accounts
   * with a successful stack instance of it are scanned; the other ACTIVE accounts are recorded as
   * not enrolled. Without it every ACTIVE account is a target.
   */
  readonly enrolment?: ReaderRoleEnrolment;
  readonly maxConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  readonly timeout?: Duration;
}

/** The reader role's StackSet, read with CloudFormation ListStackInstances. */
export interface ReaderRoleEnrolment {
  readonly stackSetName: string;
  /** SELF in the management account, DELEGATED_ADMIN in a StackSets delegated administrator account. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
}

export class ScanFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** True when ScanTargets is a Distributed Map (child executions). */
  readonly distributed: boolean;
  /** The Distributed Map's label (the child executions' name prefix). */
  readonly mapLabel = 'ScanTargets';

  constructor(scope: Construct, id: string, props: ScanFanOutProps) {
    super(scope, id);
    this.distributed = ScanFanOut.isDistributed(props);
    // --- Failure path: every task's Catch ends here (the scan recorded FAILED, its lease released). ---
    const failed = new sfn.Fail(this, 'ScanFailed', {
      comment: 'the scan is recorded FAILED with the error below',
      errorPath: '$.failure.Error',
      causePath: '$.failure.Cause',
    });
    const recordFailure = new tasks.LambdaInvoke(this, 'RecordScanFailure', {
      comment: 'record the scan FAILED with the reason, announce it, release the scan lease',
      lambdaFunction: props.scanFailed,
      payload: sfn.TaskInput.fromObject({
        executionName: sfn.JsonPath.executionName,
        startedAt: sfn.JsonPath.executionStartTime,
        input: sfn.JsonPath.executionInput,
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: sfn.JsonPath.stringAt('$.failure.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryLambdaThrottling(recordFailure);
    recordFailure.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(5), maxAttempts: 3, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    // Even if recording fails, the execution fails: the EventBridge rule on FAILED runs the same handler again.
    recordFailure.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.recordFailure' });
    recordFailure.next(failed);
    const catchToFailurePath = (state: tasks.LambdaInvoke | tasks.CallAwsService | sfn.Map | sfn.DistributedMap) =>
      state.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });

    const start = new tasks.LambdaInvoke(this, 'ListTargets', {
      comment: 'take the scan lease; scan id, expiry and (unless Organizations lists the accounts) every account x region target',
      lambdaFunction: props.listTargets,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.executionName,
        startedAt: sfn.JsonPath.executionStartTime,
        input: sfn.JsonPath.entirePayload,
        ...(props.configuredAccounts ? { accounts: [...props.configuredAccounts] } : {}),
      }),
      outputPath: '$.Payload',
    });
    retryLambdaThrottling(start);
    // Another scan holds the lease: the execution ends here, refused, and nothing is recorded.
    start.addCatch(new sfn.Fail(this, 'ScanRefused', {
      comment: 'another scan is running (its id is in the cause); one scan runs at a time',
      error: 'ScanAlreadyRunning',
      causePath: '$.failure.Cause',
    }), { errors: ['ScanAlreadyRunning'], resultPath: '$.failure' });
    catchToFailurePath(start);
    const scanTargets = this.scanTargetsMap(props, props.source === 'organization' ? '$.expanded.targets' : '$.targets');
    const merge = new tasks.LambdaInvoke(this, 'MergeAndEvaluate', {
      comment: 'assemble one snapshot from the stored targets, evaluate, store, announce the completed scan',
      lambdaFunction: props.merge,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        startedAt: sfn.JsonPath.stringAt('$.startedAt'),
        trigger: sfn.JsonPath.stringAt('$.trigger'),
        ...(props.source === 'organization' ? { notEnrolled: sfn.JsonPath.listAt('$.expanded.enrolment.notEnrolled') } : {}),
      }),
      resultSelector: { 'continued.$': '$.Payload.continued', 'outcome.$': '$.Payload' },
      resultPath: '$.merge',
    });
    retryLambdaThrottling(merge);
    catchToFailurePath(merge);
    // A merge that reached its reserve before the last target stored its progress and says continued
    // (lambdas/handlers/fanout-merge.ts): it is invoked again with the same input and resumes there,
    // so the merge is not bounded by one Lambda's 15 minutes.
    const mergeDone = new sfn.Choice(this, 'MergeContinued')
      .when(sfn.Condition.booleanEquals('$.merge.continued', true), merge)
      .otherwise(new sfn.Succeed(this, 'ScanStored', { comment: 'the scan is stored and announced', outputPath: '$.merge.outcome' }));
    merge.next(mergeDone);
    catchToFailurePath(scanTargets);

    let definition: sfn.IChainable;
    if (props.source === 'organization') {
      const firstPage = this.listAccountsPage('ListAccounts', {});
      const nextPage = this.listAccountsPage('ListAccountsNextPage', { NextToken: sfn.JsonPath.stringAt('$.page.NextToken') });
      const expand = new tasks.LambdaInvoke(this, 'ExpandAccountsPage', {
        comment: 'ACTIVE accounts of this page x regions',
        lambdaFunction: props.listTargets,
        payload: sfn.TaskInput.fromObject({
          scanId: sfn.JsonPath.stringAt('$.scanId'),
          startedAt: sfn.JsonPath.stringAt('$.startedAt'),
          accounts: sfn.JsonPath.objectAt('$.page.Accounts'),
          enrolment: sfn.JsonPath.objectAt('$.expanded.enrolment'),
          enrolledOnly: props.enrolment !== undefined,
        }),
        resultSelector: { 'targets.$': '$.Payload.targets', 'enrolment.$': '$.Payload.enrolment' },
        resultPath: '$.expanded',
      });
      retryLambdaThrottling(expand);
      catchToFailurePath(expand);
      catchToFailurePath(firstPage);
      catchToFailurePath(nextPage);
      const morePages = new sfn.Choice(this, 'MoreAccounts')
        .when(sfn.Condition.isPresent('$.page.NextToken'), nextPage.next(expand))
        .otherwise(merge);
      const accounts = firstPage.next(expand).next(scanTargets).next(morePages);
      definition = props.enrolment ? start.next(this.readEnrolment(props, props.enrolment, firstPage, catchToFailurePath)) : start.next(accounts);
    } else {
      definition = start.next(scanTargets).next(merge);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'redis-compliance: scan every account x region target, merge into one scan',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(3),
      tracingEnabled: true,
      // ALL levels, but without execution data: targets carry account names and e-mail addresses.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    grantTableKey(this.stateMachine.role, props.tableKey, 'write');
  }

  /** True when the targets are distributed over child executions. */
  static isDistributed(props: Pick<ScanFanOutProps, 'source' | 'knownTargetCount'>): boolean {
    return props.source === 'organization' || (props.knownTargetCount ?? Infinity) > INLINE_MAP_TARGET_LIMIT;
  }

  /**
   * The reader role's StackSet instances, page by page (CloudFormation ListStackInstances, at most
   * 100 a page; https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackInstances.html),
   * each page folded into `$.expanded.enrolment.enrolled` by the first step's function; then `next`.
   * CallAs is DELEGATED_ADMIN in a StackSets delegated administrator account and SELF in the
   * management account (same API page). IAM: cloudformation:ListStackInstances on the stackset
   * resource `arn:${Partition}:cloudformation:${Region}:${Account}:stackset/${StackSetName}:*`
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html).
   */
  private readEnrolment(props: ScanFanOutProps, enrolment: ReaderRoleEnrolment, next: sfn.IChainable, catchToFailurePath: (state: tasks.CallAwsService | tasks.LambdaInvoke) => void): sfn.IChainable {
    const page = (id: string, extra: Record<string, unknown>) => {
      const task = new tasks.CallAwsService(this, id, {
        comment: 'one page of the reader role StackSet\'s stack instances (the accounts that have the reader role)',
        service: 'cloudformation',
        action: 'listStackInstances',
        parameters: { StackSetName: enrolment.stackSetName, CallAs: enrolment.callAs, MaxResults: 100, ...extra },
        iamAction: 'cloudformation:ListStackInstances',
        iamResources: [Stack.of(this).formatArn({ service: 'cloudformation', resource: 'stackset', resourceName: `${enrolment.stackSetName}:*` })],
        resultPath: '$.page',
      });
      task.addRetry({ errors: ['CloudFormation.CloudFormationException', 'CloudFormation.ThrottlingException'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
      catchToFailurePath(task);
      return task;
    };
    const firstPage = page('ListReaderRoleInstances', {});
    const nextPage = page('ListReaderRoleInstancesNextPage', { NextToken: sfn.JsonPath.stringAt('$.page.NextToken') });
    const fold = new tasks.LambdaInvoke(this, 'RecordEnrolledAccounts', {
      comment: 'add the accounts of this page whose stack instance succeeded to the enrolled accounts',
      lambdaFunction: props.listTargets,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        enrolment: sfn.JsonPath.objectAt('$.expanded.enrolment'),
        instances: sfn.JsonPath.objectAt('$.page.Summaries'),
      }),
      resultSelector: { 'enrolled.$': '$.Payload.enrolled', 'notEnrolled.$': '$.Payload.notEnrolled' },
      resultPath: '$.expanded.enrolment',
    });
    retryLambdaThrottling(fold);
    catchToFailurePath(fold);
    const moreInstances = new sfn.Choice(this, 'MoreReaderRoleInstances')
      .when(sfn.Condition.isPresent('$.page.NextToken'), nextPage.next(fold))
      .otherwise(next);
    return firstPage.next(fold).next(moreInstances);
  }

  private listAccountsPage(id: string, parameters: Record<string, unknown>): tasks.CallAwsService {
    const task = new tasks.CallAwsService(this, id, {
      comment: 'one page of AWS Organizations ListAccounts',
      service: 'organizations',
      action: 'listAccounts',
      parameters,
      iamAction: 'organizations:ListAccounts',
      // ListAccounts has no resource-level permissions.
      iamResources: ['*'],
      resultPath: '$.page',
    });
    task.addRetry({ errors: ['Organizations.TooManyRequestsException', 'Organizations.ServiceException'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    return task;
  }

  private scanTargetsMap(props: ScanFanOutProps, itemsPath: string): sfn.Map | sfn.DistributedMap {
    const worker = new tasks.LambdaInvoke(this, 'ScanTarget', {
      comment: 'capture one account x region and store it in the table; at its deadline it stores a continuation and says continued',
      lambdaFunction: props.scanTarget,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        expiresAt: sfn.JsonPath.stringAt('$.expiresAt'),
        accountId: sfn.JsonPath.stringAt('$.accountId'),
        region: sfn.JsonPath.stringAt('$.region'),
        continuation: sfn.JsonPath.objectAt('$.continuation'),
      }),
      retryOnServiceExceptions: true,
      resultSelector: { 'continued.$': '$.Payload.continued' },
      resultPath: '$.progress',
    });
    retryLambdaThrottling(worker);
    worker.addRetry({ errors: [sfn.Errors.TASKS_FAILED, sfn.Errors.TIMEOUT], interval: Duration.seconds(10), maxAttempts: 2, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    const recordFailure = new tasks.DynamoPutItem(this, 'RecordTargetFailure', {
      comment: 'a target that failed after its retries: the merge reports it as a collection error',
      table: props.table,
      item: {
        PK: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(FANOUT_KEYS.partition('{}'), sfn.JsonPath.stringAt('$.scanId'))),
        SK: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(FANOUT_KEYS.failed('{}', '{}'), sfn.JsonPath.stringAt('$.accountId'), sfn.JsonPath.stringAt('$.region'))),
        [FANOUT_ATTRIBUTES.accountId]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.accountId')),
        [FANOUT_ATTRIBUTES.region]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.region')),
        [FANOUT_ATTRIBUTES.error]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.failure.Error')),
        [FANOUT_ATTRIBUTES.cause]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.failure'))),
        [TTL_ATTRIBUTE]: tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.stringAt('$.expiresAt')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    recordFailure.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(2), maxAttempts: 5, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    worker.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    // A target the worker could not finish before its deadline is continued by the next invocation
    // (lambdas/handlers/fanout-scan-target.ts; docs/collectors.md, "Deadline and continuation").
    const continueTarget = new sfn.Pass(this, 'ContinueTarget', {
      comment: 'invoke the worker again to continue from its stored continuation',
      parameters: {
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        expiresAt: sfn.JsonPath.stringAt('$.expiresAt'),
        accountId: sfn.JsonPath.stringAt('$.accountId'),
        region: sfn.JsonPath.stringAt('$.region'),
        continuation: true,
      },
    });
    const targetDone = new sfn.Choice(this, 'TargetContinued')
      .when(sfn.Condition.booleanEquals('$.progress.continued', true), continueTarget.next(worker))
      .otherwise(new sfn.Succeed(this, 'TargetStored'));
    const perTarget = worker.next(targetDone);

    const common = {
      comment: 'one worker per target, at most maxConcurrency at a time',
      itemsPath,
      maxConcurrency: props.maxConcurrency,
      itemSelector: {
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        expiresAt: sfn.JsonPath.stringAt('$.expiresAt'),
        accountId: sfn.JsonPath.stringAt('$$.Map.Item.Value.accountId'),
        region: sfn.JsonPath.stringAt('$$.Map.Item.Value.region'),
        continuation: false,
      },
      resultPath: sfn.JsonPath.DISCARD,
    };
    if (ScanFanOut.isDistributed(props)) {
      // Child executions are STANDARD: a worker may run 10 minutes, beyond Express's 5.
      const map = new sfn.DistributedMap(this, 'ScanTargets', {
        ...common,
        mapExecutionType: sfn.StateMachineType.STANDARD,
        toleratedFailurePercentage: 0,
        label: this.mapLabel,
      });
      map.itemProcessor(perTarget);
      return map;
    }
    const map = new sfn.Map(this, 'ScanTargets', common);
    map.itemProcessor(perTarget);
    return map;
  }
}

/**
 * Lambda's throttling error, which CDK's default LambdaInvoke retry (Lambda.ServiceException,
 * AWSLambdaException, SdkClientException, ClientExecutionTimeoutException) leaves out: a function
 * at its reserved or account concurrency answers TooManyRequestsException
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html), and a task
 * without this retry fails the whole scan after every target was scanned.
 */
export const LAMBDA_THROTTLING_ERRORS = ['Lambda.TooManyRequestsException'];

function retryLambdaThrottling(task: tasks.LambdaInvoke): void {
  task.addRetry({ errors: LAMBDA_THROTTLING_ERRORS, interval: Duration.seconds(5), maxAttempts: 8, backoffRate: 2, maxDelay: Duration.minutes(2), jitterStrategy: sfn.JitterType.FULL });
}
