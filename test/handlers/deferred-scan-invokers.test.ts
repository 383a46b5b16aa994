/**
 * The api Lambda's scan invokers load their SDK client on the first start (lambdas/handlers/wiring/
 * deferred-scan-invokers.ts) and then behave as LambdaScanInvoker / StateMachineScanInvoker: the same
 * request sent, the same errors. SDK clients answered by aws-sdk-client-mock.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { deferredLambdaScanInvoker, deferredStateMachineScanInvoker } from '../../lambdas/handlers/wiring/deferred-scan-invokers';
import { ScanAlreadyStartedError } from '../../lambdas/handlers/wiring/state-machine-scan-invoker';

const lambda = mockClient(LambdaClient);
const sfn = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:redis-compliance-scan';

beforeEach(() => {
  lambda.reset();
  sfn.reset();
});

test('the Lambda invoker invokes the scan function asynchronously with the request, on each start', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const invoker = deferredLambdaScanInvoker('redis-compliance-scan');
  expect(invoker.scansConfiguredTargetsOnly).toBeUndefined();
  await invoker.start({ scanId: 'scan-1', trigger: 'api', regions: ['eu-west-1'] });
  await invoker.start({ scanId: 'scan-2', trigger: 'api' });
  const calls = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
  expect(calls.map((c) => [c.FunctionName, c.InvocationType, JSON.parse(Buffer.from(c.Payload as Uint8Array).toString('utf8'))])).toEqual([
    ['redis-compliance-scan', 'Event', { scanId: 'scan-1', trigger: 'api', regions: ['eu-west-1'] }],
    ['redis-compliance-scan', 'Event', { scanId: 'scan-2', trigger: 'api' }],
  ]);
});

test('the Lambda invoker fails when the function does not accept the invocation', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 500 });
  await expect(deferredLambdaScanInvoker('f').start({ scanId: 'scan-1', trigger: 'api' })).rejects.toThrow('the scan function did not accept the invocation (status 500)');
});

test('the state machine invoker starts one execution named after the scan, and reports one that exists', async () => {
  const invoker = deferredStateMachineScanInvoker(STATE_MACHINE);
  expect(invoker.scansConfiguredTargetsOnly).toBe(true);
  sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: 'arn:x', startDate: new Date() }).rejectsOnce(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
  await invoker.start({ scanId: 'scan-20300102T030000Z-aaaa0001', trigger: 'api' });
  expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
    { stateMachineArn: STATE_MACHINE, name: 'scan-20300102T030000Z-aaaa0001', input: JSON.stringify({ trigger: 'api', scanId: 'scan-20300102T030000Z-aaaa0001' }) },
  ]);
  await expect(invoker.start({ scanId: 'scan-20300102T030000Z-aaaa0001', trigger: 'api' })).rejects.toBeInstanceOf(ScanAlreadyStartedError);
  await expect(invoker.start({ scanId: 'scan-3', trigger: 'api', regions: ['eu-west-1'] })).rejects.toThrow('regions and accounts cannot be chosen');
});
