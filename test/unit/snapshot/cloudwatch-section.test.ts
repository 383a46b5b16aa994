/** The snapshot's optional cloudwatch section: validated when present, and old snapshots without it still load. */
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { SnapshotError, parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { bytesPerPeriod, withNetworkMetrics } from '../../support/network-metrics';

const END = new Date('2026-11-25T02:00:00.000Z');

test('a snapshot written before the section existed loads, and capacity.bandwidth says UNKNOWN with the reason', () => {
  const old = JSON.stringify(compliantEstate().snapshot());
  expect(old).not.toContain('cloudwatch');
  const findings = evaluateSnapshot(parseSnapshot(old, 'old.json')).findings.filter((f) => f.ruleId === 'capacity.bandwidth');
  expect(findings).toHaveLength(3);
  for (const f of findings) {
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('The snapshot has no CloudWatch section');
  }
});

test('a section round-trips through JSON and is read', () => {
  const traffic = { inBytes: [bytesPerPeriod(100e6)], outBytes: [bytesPerPeriod(200e6)] };
  const text = JSON.stringify(withNetworkMetrics(compliantEstate(), END, Object.fromEntries(REDIS_IDS.map((id) => [id, traffic]))).snapshot());
  const snapshot = parseSnapshot(text, 'new.json');
  expect(snapshot.targets[0]!.cloudwatch!.MetricDataQueries).toHaveLength(6);
  const f = evaluateSnapshot(snapshot).findings.find((x) => x.ruleId === 'capacity.bandwidth')!;
  expect(f.status).toBe('PASS');
});

test('a result whose Timestamps and Values differ in length is refused, naming the path', () => {
  const estate = withNetworkMetrics(compliantEstate(), END, { [REDIS_IDS[0]]: { inBytes: [1, 2], outBytes: [3, 4] } });
  estate.target.cloudwatch!.MetricDataResults[1]!.Values.pop();
  expect(() => parseSnapshot(JSON.stringify(estate.snapshot()), 'bad.json')).toThrow(SnapshotError);
  expect(() => parseSnapshot(JSON.stringify(estate.snapshot()), 'bad.json')).toThrow('bad.json: invalid snapshot at $.targets[0].cloudwatch.MetricDataResults[1]: Timestamps and Values must have the same length');
});
