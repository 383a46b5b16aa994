/**
 * PutEvents batching and retries through the SDK client (aws-sdk-client-mock answers in
 * PutEvents' response shape: one result per entry, in order, EventId or ErrorCode), the finding
 * change entries, and the "Scan Completed" publisher that now shares the path.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { findingChangedEntries, publishFindingChanges } from '../../../lambdas/adapters/events/finding-change-publisher';
import { putEventsInBatches } from '../../../lambdas/adapters/events/put-events-in-batches';
import { findingChangeEvents } from '../../../lambdas/core/export/finding-change-event';
import { EventBridgePublisher } from '../../../lambdas/handlers/wiring/event-publisher';
import { aStoredFinding } from '../../support/findings-fixture';

const noDelay = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 };
const bus = mockClient(EventBridgeClient);
beforeEach(() => bus.reset());
const client = new EventBridgeClient({ region: 'eu-west-1' });

const entries = (n: number): PutEventsRequestEntry[] => Array.from({ length: n }, (_, i) => ({ Source: 'redis-compliance', DetailType: 'x', Detail: JSON.stringify({ i }), EventBusName: 'bus' }));
const calls = () => bus.commandCalls(PutEventsCommand).map((c) => (c.args[0].input.Entries ?? []).map((e) => (JSON.parse(e.Detail!) as { i: number }).i));
const acceptAll = () => bus.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `id-${i}` })) }));

it('sends 23 entries in calls of 10, 10 and 3', async () => {
  acceptAll();
  const outcome = await putEventsInBatches(client, entries(23), noDelay);
  expect(calls().map((c) => c.length)).toEqual([10, 10, 3]);
  expect(outcome).toEqual({ sent: 23, calls: 3, retriedEntries: 0, failed: [] });
});

it('retries only the entries EventBridge did not accept', async () => {
  bus.on(PutEventsCommand)
    .resolvesOnce({ FailedEntryCount: 2, Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }, { EventId: 'c' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'y' }, { EventId: 'e' }] })
    .callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'ok' })) }));
  const outcome = await putEventsInBatches(client, entries(5), noDelay);
  expect(calls()).toEqual([[0, 1, 2, 3, 4], [1, 3]]);
  expect(outcome).toMatchObject({ sent: 5, calls: 2, retriedEntries: 2, failed: [] });
});

it('reports an entry that still fails after the attempts, and retries a throttled call', async () => {
  bus.on(PutEventsCommand)
    .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
    .callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 1, Entries: input.Entries.map((e) => (JSON.parse(e.Detail!).i === 1 ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' } : { EventId: 'ok' })) }));
  const outcome = await putEventsInBatches(client, entries(2), noDelay);
  expect(outcome.sent).toBe(1);
  expect(outcome.failed).toEqual([{ entry: expect.objectContaining({ Detail: '{"i":1}' }), errorCode: 'MalformedDetail', errorMessage: 'bad' }]);
  expect(outcome.calls).toBe(1 + noDelay.maxAttempts - 1);
});

it('finding change events carry the detail type, the source and the resource ARN', async () => {
  acceptAll();
  const finding = aStoredFinding('scan-2', { status: 'FAIL', ruleStatus: 'FAIL', severity: 'critical' });
  const details = findingChangeEvents({ previousStates: [], findings: [finding], changes: { new: [finding], resolved: [] }, states: [], scan: { scanId: 'scan-2', at: '2026-11-25T02:00:00.000Z' } });
  const outcome = await publishFindingChanges(client, 'scanner-bus', details, noDelay);
  expect(outcome.sent).toBe(1);
  const [entry] = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
  expect(entry).toMatchObject({ EventBusName: 'scanner-bus', Source: 'redis-compliance', DetailType: 'Redis Compliance Finding Changed', Resources: ['arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0'] });
  expect(JSON.parse(entry!.Detail!)).toMatchObject({ schemaVersion: '1.0', change: 'NEW_FAILURE', finding: { severity: 'critical', production: true } });
  expect(findingChangedEntries([{ ...details[0]!, finding: { ...details[0]!.finding, resourceArn: undefined } } as never], 'b')[0]!.Resources).toBeUndefined();
});

describe('Scan Completed (same PutEvents path)', () => {
  it('retries a failed entry, then succeeds', async () => {
    bus.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] }).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await new EventBridgePublisher(client, 'bus', noDelay).scanCompleted({ scanId: 'scan-1', status: 'COMPLETE' });
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('throws with the error code when the entry is never accepted', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' }] });
    await expect(new EventBridgePublisher(client, 'bus', noDelay).scanCompleted({ scanId: 'scan-1', status: 'COMPLETE' })).rejects.toThrow('EventBridge did not accept the Scan Completed event for scan-1: AccessDeniedException not allowed');
  });
});
