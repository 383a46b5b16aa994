/** The finding-change events of a scan, from the finding states (pure). */
import { findingChangeEvents } from '../../../lambdas/core/export/finding-change-event';
import { nextFindingStates, type FindingState } from '../../../lambdas/core/finding-states';
import type { StoredFinding } from '../../../lambdas/core/model';
import { aStoredFinding } from '../../support/findings-fixture';

const targets = [{ accountId: '111122223333', region: 'eu-west-1' }];

function run(scanId: string, at: string, findings: StoredFinding[], previous: FindingState[]) {
  const { states, changes } = nextFindingStates(previous, findings, { scanId, at, targets });
  const events = findingChangeEvents({ previousStates: previous, findings, changes, states, scan: { scanId, at } });
  const byKey = new Map(previous.map((s) => [s.key, s]));
  for (const s of states) byKey.set(s.key, s);
  return { events, after: [...byKey.values()] };
}

const fail = (scanId: string, overrides: Partial<StoredFinding> = {}) => aStoredFinding(scanId, { status: 'FAIL', ruleStatus: 'FAIL', ...overrides });
const waiver = { id: 'w1', reason: 'until Q1', owner: 'platform', expiresAt: '2026-11-24T12:00:00.000Z' };

it('new failure, waiver expired, resolved (passing, and gone), each once', () => {
  const s1 = run('scan-1', '2026-11-23T02:00:00.000Z', [fail('scan-1'), fail('scan-1', { resourceId: 'i-0gone' }), fail('scan-1', { ruleId: 'instance.disk', status: 'SUPPRESSED', suppression: waiver })], []);
  expect(s1.events.map((e) => [e.change, e.finding.key, e.finding.status])).toEqual([
    ['NEW_FAILURE', '111122223333/eu-west-1/i-0123456789abcdef0/instance.disk', 'SUPPRESSED'],
    ['NEW_FAILURE', '111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu', 'FAIL'],
    ['NEW_FAILURE', '111122223333/eu-west-1/i-0gone/instance.vcpu', 'FAIL'],
  ]);
  const expired = fail('scan-2', { ruleId: 'instance.disk', waiverExpired: { id: 'w1', reason: 'until Q1', owner: 'platform', expiredAt: waiver.expiresAt } });
  const s2 = run('scan-2', '2026-11-24T02:00:00.000Z', [aStoredFinding('scan-2', { status: 'PASS', ruleStatus: 'PASS' }), expired], s1.after);
  expect(s2.events.map((e) => [e.change, e.finding.key, e.finding.status, e.finding.resolvedAt ?? null])).toEqual([
    ['RESOLVED', '111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu', 'PASS', '2026-11-24T02:00:00.000Z'],
    ['RESOLVED', '111122223333/eu-west-1/i-0gone/instance.vcpu', 'GONE', '2026-11-24T02:00:00.000Z'],
    ['WAIVER_EXPIRED', '111122223333/eu-west-1/i-0123456789abcdef0/instance.disk', 'FAIL', null],
  ]);
  expect(s2.events[2]!.finding.waiverExpired).toEqual({ id: 'w1', reason: 'until Q1', owner: 'platform', expiredAt: waiver.expiresAt });
  expect(s2.events[0]!.finding.firstSeen).toBe('2026-11-23T02:00:00.000Z');
  // Nothing changes in a third scan with the same verdicts: no events.
  const s3 = run('scan-3', '2026-11-25T02:00:00.000Z', [aStoredFinding('scan-3', { status: 'PASS', ruleStatus: 'PASS' }), fail('scan-3', { ruleId: 'instance.disk', waiverExpired: expired.waiverExpired! })], s2.after);
  expect(s3.events).toEqual([]);
});

it('every event has the versioned envelope and a stable id', () => {
  const f = fail('scan-1', { severity: 'critical' });
  const a = run('scan-1', '2026-11-23T02:00:00.000Z', [f], []).events;
  const b = run('scan-1', '2026-11-23T02:00:00.000Z', [f], []).events;
  expect(a).toEqual(b);
  expect(a[0]).toMatchObject({ schemaVersion: '1.0', eventId: 'scan-1/NEW_FAILURE/111122223333/eu-west-1/i-0123456789abcdef0/instance.vcpu', change: 'NEW_FAILURE', scanId: 'scan-1', scanAt: '2026-11-23T02:00:00.000Z', finding: { resourceArn: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', severity: 'critical', production: true, requirement: expect.any(String), remediation: expect.any(String) } });
  expect(Buffer.byteLength(JSON.stringify(a[0]))).toBeLessThan(256 * 1024);
});
