/**
 * A live capture handed on target by target (captureEstateTargets), and the scan that evaluates
 * each target as it arrives: same targets, in snapshot order whatever finishes first, and the same
 * stored scan as capturing the whole estate first. EC2, SSM and STS are the wire-level fake.
 */
import { captureEstate, captureEstateTargets } from '../../../lambdas/adapters/collectors/capture-estate';
import { fixedClock } from '../../../lambdas/adapters/store/clock';
import { InMemoryFindingsStore } from '../../../lambdas/adapters/store/in-memory-findings-store';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { CollectingPublisher } from '../../../lambdas/handlers/wiring/event-publisher';
import { runScan } from '../../../lambdas/handlers/wiring/run-scan';
import type { SnapshotSource } from '../../../lambdas/handlers/wiring/snapshot-source';
import { ApiLoad } from '../../support/aws-fakes/api-load';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';
import { ACCOUNT } from '../../support/estate-builder';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const capturedAt = () => new Date('2026-11-25T02:00:00.000Z');

/** A fake holding one estate per region, the first region the largest (so it finishes last). */
function fakeAws(): FakeAws {
  const fake = new FakeAws();
  REGIONS.forEach((region, i) => fake.add(generateEstate(i === 0 ? 60 : 8, ACCOUNT, region).builder.target));
  fake.load = new ApiLoad({ latencyMs: 2, buckets: {} });
  return fake;
}

test('hands on every target validated, in account x region order, though the first finishes last', async () => {
  const handed: Array<{ index: number; region: string }> = [];
  const fake = fakeAws();
  const callsWhenHanded: number[] = [];
  const { capturedAt: at } = await captureEstateTargets({ regions: REGIONS, now: capturedAt, requestHandler: fake.requestHandler, concurrency: 3 }, (target, index) => {
    handed.push({ index, region: target.region });
    callsWhenHanded.push(fake.calls.length);
  });
  expect(at).toBe('2026-11-25T02:00:00.000Z');
  expect(handed).toEqual(REGIONS.map((region, index) => ({ index, region })));
  // The small regions were done first, yet waited for the first: all three were handed on together, after the last call.
  expect(fake.calls[fake.calls.length - 1]!.region).toBe('eu-west-1');
  expect(callsWhenHanded).toEqual([fake.calls.length, fake.calls.length, fake.calls.length]);
  const whole = await captureEstate({ regions: REGIONS, now: capturedAt, requestHandler: fakeAws().requestHandler, concurrency: 3 });
  const targets: SnapshotTarget[] = [];
  await captureEstateTargets({ regions: REGIONS, now: capturedAt, requestHandler: fakeAws().requestHandler, concurrency: 3 }, (target) => targets.push(target));
  expect(targets).toEqual(whole.targets);
  // The identity call (sts:GetCallerIdentity) is counted on the first target, as before.
  expect(targets[0]!.apiCalls?.['sts:GetCallerIdentity']).toBe(1);
}, 60_000);

test('a scan with a target-by-target source stores the same scan as one that captures the whole estate first', async () => {
  const run = async (source: SnapshotSource) => {
    const store = new InMemoryFindingsStore();
    const outcome = await runScan({ scanId: 'scan-20300101T020000Z-live', trigger: 'scheduled' }, { store, publisher: new CollectingPublisher(), clock: fixedClock('2030-01-01T02:05:00.000Z'), config: DEFAULT_CONFIG, snapshots: source });
    return { outcome, scan: await store.getScan('scan-20300101T020000Z-live'), findings: await store.allFindings('scan-20300101T020000Z-live') };
  };
  const options = () => ({ regions: REGIONS, now: capturedAt, requestHandler: fakeAws().requestHandler, concurrency: 3 });
  const handed: number[] = [];
  const streamed = await run({
    capture: () => Promise.reject(new Error('a source that streams is never asked for the whole estate')),
    captureTargets: (_request, onTarget) => captureEstateTargets(options(), (target, index) => (handed.push(index), onTarget(target, index))),
  });
  const whole = await run({ capture: () => captureEstate(options()) });
  expect(handed).toEqual([0, 1, 2]);
  expect(streamed.findings.length).toBeGreaterThan(50);
  expect(streamed).toEqual(whole);
}, 60_000);
