/**
 * The fan-out's synthesized Amazon States Language, state by state: every Task retries the errors
 * its service throws (Lambda throttling included) and every step's failure is caught and taken to
 * the failure path, which records the scan FAILED and releases its lease; a refused start ends the
 * execution without recording anything. Also the EventBridge rule that runs the same failure path
 * for executions that failed, timed out or were aborted.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from './app-fixture';

type State = Record<string, any>;

function synth(overrides: Parameters<typeof buildTestApp>[0]) {
  const t = Template.fromStack(buildTestApp(overrides).stacks.scanner);
  const machine = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]!;
  const body = machine['Properties']['DefinitionString'];
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return { t, definition: JSON.parse(text) as { StartAt: string; States: Record<string, State> } };
}

/** Every state, with the states of Map item processors, as [name, state, nested]. */
function allStates(states: Record<string, State>, nested = false): Array<[string, State, boolean]> {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state, nested] as [string, State, boolean],
    ...(state['ItemProcessor'] ? allStates(state['ItemProcessor'].States, true) : []),
  ]);
}

const isLambda = (state: State) => String(state['Resource']).endsWith(':states:::lambda:invoke');
const retried = (state: State) => (state['Retry'] ?? []).flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);

const ENROLLED_ORGANIZATION = {
  fanOut: { enabled: true },
  targets: { regions: ['eu-west-1'], source: 'organization' as const },
  readerRole: { externalId: 'test-external-id', scannerAccountId: '111122223333', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'], stackSetCallAs: 'DELEGATED_ADMIN' as const },
};

const CONFIGS = {
  self: { fanOut: { enabled: true } },
  accounts: { fanOut: { enabled: true }, targets: { regions: ['eu-west-1'], source: 'accounts' as const, accountIds: ['444455556666', '777788889999'] } },
  organization: { fanOut: { enabled: true }, targets: { regions: ['eu-west-1'], source: 'organization' as const } },
  'organization with the reader role StackSet': ENROLLED_ORGANIZATION,
};

describe.each(Object.entries(CONFIGS))('fan-out definition (%s)', (_name, config) => {
  const { t, definition } = synth(config);
  const states = allStates(definition.States);
  const tasks = states.filter(([, s]) => s['Type'] === 'Task');

  test('every Task retries; every Lambda task retries throttling and Lambda service errors', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    for (const [name, state] of tasks) {
      expect([name, retried(state).length > 0]).toEqual([name, true]);
      if (isLambda(state)) {
        expect([name, retried(state)]).toEqual([name, expect.arrayContaining(['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'])]);
      }
    }
  });

  test('every top-level Task and Map catches every error into the failure path; inside a Map, a failure is caught by the Map', () => {
    for (const [name, state, nested] of states) {
      if (nested || !['Task', 'Map'].includes(state['Type']) || name === 'RecordScanFailure') continue;
      const catchers: Array<{ ErrorEquals: string[]; Next: string }> = state['Catch'] ?? [];
      expect([name, catchers.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next]).toEqual([name, 'RecordScanFailure']);
    }
    for (const [name, state, nested] of states) {
      if (nested && state['Type'] === 'Task' && name !== 'ScanTarget') expect([name, state['Retry']?.length > 0]).toEqual([name, true]);
    }
  });

  test('the failure path records the scan FAILED (execution name, start, input, error) and fails the execution with the original error', () => {
    const record = definition.States['RecordScanFailure']!;
    expect(isLambda(record)).toBe(true);
    expect(record['Parameters']['Payload']).toEqual({ 'executionName.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime', 'input.$': '$$.Execution.Input', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' });
    expect(record['Next']).toBe('ScanFailed');
    expect(record['Catch']).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'ScanFailed' })]);
    expect(definition.States['ScanFailed']).toMatchObject({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
  });

  test('the first step takes the scan lease; a refused start ends the execution as ScanAlreadyRunning, recording nothing', () => {
    expect(definition.StartAt).toBe('ListTargets');
    const first = definition.States['ListTargets']!;
    expect(first['Catch'][0]).toEqual({ ErrorEquals: ['ScanAlreadyRunning'], Next: 'ScanRefused', ResultPath: '$.failure' });
    expect(definition.States['ScanRefused']).toMatchObject({ Type: 'Fail', Error: 'ScanAlreadyRunning', CausePath: '$.failure.Cause' });
  });

  test('a merge that hands back (continued) is invoked again with the same input; otherwise the execution ends with its outcome', () => {
    const merge = definition.States['MergeAndEvaluate']!;
    expect(merge['ResultSelector']).toEqual({ 'continued.$': '$.Payload.continued', 'outcome.$': '$.Payload' });
    expect(merge['ResultPath']).toBe('$.merge');
    expect(merge['OutputPath']).toBeUndefined();
    expect(merge['Next']).toBe('MergeContinued');
    expect(definition.States['MergeContinued']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.merge.continued', BooleanEquals: true, Next: 'MergeAndEvaluate' }],
      Default: 'ScanStored',
    });
    expect(definition.States['ScanStored']).toMatchObject({ Type: 'Succeed', OutputPath: '$.merge.outcome' });
  });

  test('an EventBridge rule on the default bus sends this machine\'s FAILED / TIMED_OUT / ABORTED executions to the failure handler', () => {
    const machineId = Object.keys(t.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [{ Ref: machineId }], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ScanFailedFunction'), 'Arn'] }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  test('every start path holds the lease for as long as an execution may run', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f['Properties']);
    const seconds = (definition as { TimeoutSeconds?: number }).TimeoutSeconds!;
    expect(seconds).toBeGreaterThan(0);
    const withLease = fns.filter((f) => f['Environment']?.['Variables']?.['SCAN_LEASE_SECONDS']);
    const descriptions = withLease.map((f) => String(f['Description']));
    expect(descriptions).toHaveLength(5);
    for (const path of ['single-Lambda', 'REST API', 'fan-out: scan lease', 'fan-out: merge', 'fan-out: record a failed']) expect(descriptions.some((d) => d.includes(path))).toBe(true);
    for (const f of withLease) expect(Number(f['Environment']['Variables']['SCAN_LEASE_SECONDS'])).toBeGreaterThanOrEqual(seconds);
  });
});

test('accounts mode: the configured accounts reach the first step in its input, not in a Lambda environment', () => {
  const { t, definition } = synth(CONFIGS.accounts);
  expect(definition.States['ListTargets']!['Parameters']['Payload']['accounts']).toEqual(['444455556666', '777788889999']);
  for (const f of Object.values(t.findResources('AWS::Lambda::Function'))) {
    if (String(f['Properties']['Description']).includes('fan-out')) expect(f['Properties']['Environment']['Variables']['TARGET_ACCOUNTS']).toBeUndefined();
  }
});

describe('organization mode with the reader role StackSet: only enrolled accounts are targets', () => {
  const { t, definition } = synth(ENROLLED_ORGANIZATION);
  const S = definition.States;

  test('after the start, the StackSet\'s instances are listed page by page (CallAs DELEGATED_ADMIN) and folded into the enrolment before any account is listed', () => {
    expect(S['ListTargets']!['Next']).toBe('ListReaderRoleInstances');
    const first = S['ListReaderRoleInstances']!;
    expect(first['Resource']).toBe('arn:TOKEN:states:::aws-sdk:cloudformation:listStackInstances');
    expect(first['Parameters']).toEqual({ StackSetName: 'RedisCompliance-reader-role', CallAs: 'DELEGATED_ADMIN', MaxResults: 100 });
    expect(first['ResultPath']).toBe('$.page');
    expect(first['Next']).toBe('RecordEnrolledAccounts');
    expect(S['ListReaderRoleInstancesNextPage']!['Parameters']).toEqual({ StackSetName: 'RedisCompliance-reader-role', CallAs: 'DELEGATED_ADMIN', MaxResults: 100, 'NextToken.$': '$.page.NextToken' });
    const fold = S['RecordEnrolledAccounts']!;
    expect(fold['Parameters']['Payload']).toEqual({ 'scanId.$': '$.scanId', 'enrolment.$': '$.expanded.enrolment', 'instances.$': '$.page.Summaries' });
    expect(fold['ResultPath']).toBe('$.expanded.enrolment');
    expect(fold['Next']).toBe('MoreReaderRoleInstances');
    expect(S['MoreReaderRoleInstances']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.page.NextToken', IsPresent: true, Next: 'ListReaderRoleInstancesNextPage' }],
      Default: 'ListAccounts',
    });
  });

  test('each page of accounts is planned against the enrolment; the merge gets the accounts not enrolled', () => {
    const expand = S['ExpandAccountsPage']!;
    expect(expand['Parameters']['Payload']).toMatchObject({ 'enrolment.$': '$.expanded.enrolment', enrolledOnly: true });
    expect(expand['ResultSelector']).toEqual({ 'targets.$': '$.Payload.targets', 'enrolment.$': '$.Payload.enrolment' });
    expect(S['MergeAndEvaluate']!['Parameters']['Payload']).toMatchObject({ 'notEnrolled.$': '$.expanded.enrolment.notEnrolled' });
  });

  test('the state machine role may list the instances of the reader role StackSet only', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudformation:ListStackInstances',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:eu-west-1:111122223333:stackset/RedisCompliance-reader-role:*']] },
          }),
        ]),
      },
    });
  });

  test('without the StackSet in the scanner account, every ACTIVE account is listed and synth warns', () => {
    const elsewhere = { ...ENROLLED_ORGANIZATION, readerRole: { ...ENROLLED_ORGANIZATION.readerRole, stackSetAccountId: '999988887777' } };
    const { definition: plain } = synth(elsewhere);
    Annotations.fromStack(buildTestApp(elsewhere).stacks.scanner).hasWarning('*', Match.stringLikeRegexp('every ACTIVE account is scanned'));
    expect(plain.States['ListTargets']!['Next']).toBe('ListAccounts');
    expect(plain.States['ExpandAccountsPage']!['Parameters']['Payload']).toMatchObject({ enrolledOnly: false });
    expect(Object.keys(plain.States)).not.toContain('ListReaderRoleInstances');
  });
});
