/**
 * One scanner Lambda with what it owns: a role of its own (under the `/redis-compliance/` path,
 * which the member accounts' reader role trusts, and with no managed policy), a log group with
 * retention that only this role may write, and the function made by the factory.
 */
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionFactory } from './function-factory';
import type { HandlerName } from './scanner-function';

/** IAM path of every scanner role: the reader role trusts `arn:aws:iam::<scanner>:role/redis-compliance/*`. */
export const SCANNER_ROLE_PATH = '/redis-compliance/';

export interface ScannerLambdaProps {
  readonly factory: FunctionFactory;
  readonly handlerName: HandlerName;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly logLevel: string;
  readonly serviceName: string;
  readonly deadLetterQueue?: sqs.IQueue;
}

export class ScannerLambda extends Construct {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly function: lambda.Function;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ScannerLambdaProps) {
    super(scope, id);
    this.timeout = props.timeout;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: SCANNER_ROLE_PATH,
      description: `redis-compliance ${props.handlerName} function`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.logGroup.grantWrite(this.role);
    this.function = props.factory.createFunction(this, 'Function', {
      handlerName: props.handlerName,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize,
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      serviceName: props.serviceName,
      logLevel: props.logLevel,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
    });
  }
}
