import { diffFindings, nextFindingStates, type FindingState, type ScanPoint } from '../../lambdas/core/finding-states';
import { findingKey, type StoredFinding } from '../../lambdas/core/model';
import { aStoredFinding } from '../support/findings-fixture';

const TARGETS = [{ accountId: '111122223333', region: 'eu-west-1' }];
const scan = (scanId: string, at: string, targets = TARGETS): ScanPoint => ({ scanId, at, targets });

function fail(scanId: string, resourceId: string, extra: Partial<StoredFinding> = {}): StoredFinding {
  return aStoredFinding(scanId, { resourceId, status: 'FAIL', ruleStatus: 'FAIL', ...extra });
}
function pass(scanId: string, resourceId: string): StoredFinding {
  return aStoredFinding(scanId, { resourceId, status: 'PASS', ruleStatus: 'PASS' });
}
const byResource = (states: FindingState[]) => Object.fromEntries(states.map((s) => [s.resourceId, s]));

describe('nextFindingStates', () => {
  it('makes failing findings of a first scan NEW, and passing ones stateless', () => {
    const { states, changes } = nextFindingStates([], [fail('s1', 'i-1'), aStoredFinding('s1', { resourceId: 'i-2', status: 'UNKNOWN', ruleStatus: 'UNKNOWN' }), pass('s1', 'i-3')], scan('s1', 'T1'));
    expect(states.map((s) => [s.resourceId, s.state, s.firstSeen, s.lastSeen, s.lastScanId])).toEqual([
      ['i-1', 'NEW', 'T1', 'T1', 's1'],
      ['i-2', 'NEW', 'T1', 'T1', 's1'],
    ]);
    expect(states[0]!.key).toBe(findingKey(states[0]!));
    expect(changes.new.map((f) => f.resourceId)).toEqual(['i-1', 'i-2']);
    expect(changes.resolved).toEqual([]);
  });

  it('moves a still-failing finding to OPEN, keeping firstSeen and advancing lastSeen', () => {
    const first = nextFindingStates([], [fail('s1', 'i-1')], scan('s1', 'T1')).states;
    const { states, changes } = nextFindingStates(first, [fail('s2', 'i-1')], scan('s2', 'T2'));
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ state: 'OPEN', firstSeen: 'T1', lastSeen: 'T2', lastScanId: 's2' });
    expect(states[0]!.finding.scanId).toBe('s2');
    expect(changes).toEqual({ new: [], resolved: [] });
  });

  it('resolves a finding that passes now, or is gone from a scanned target', () => {
    const first = nextFindingStates([], [fail('s1', 'i-1'), fail('s1', 'i-2')], scan('s1', 'T1')).states;
    const { states, changes } = nextFindingStates(first, [pass('s2', 'i-1')], scan('s2', 'T2'));
    const s = byResource(states);
    expect(s['i-1']).toMatchObject({ state: 'RESOLVED', firstSeen: 'T1', lastSeen: 'T1', resolvedAt: 'T2', lastScanId: 's2' });
    expect(s['i-2']).toMatchObject({ state: 'RESOLVED', resolvedAt: 'T2' });
    expect(changes.resolved.map((f) => [f.resourceId, f.scanId, f.status])).toEqual([
      ['i-1', 's1', 'FAIL'],
      ['i-2', 's1', 'FAIL'],
    ]);
    expect(changes.new).toEqual([]);
  });

  it('does not resolve findings of targets the scan did not cover', () => {
    const first = nextFindingStates([], [fail('s1', 'i-1'), fail('s1', 'i-9', { region: 'us-east-1' })], scan('s1', 'T1', [...TARGETS, { accountId: '111122223333', region: 'us-east-1' }])).states;
    const { states, changes } = nextFindingStates(first, [fail('s2', 'i-1')], scan('s2', 'T2'));
    expect(states.map((s) => s.resourceId)).toEqual(['i-1']);
    expect(changes.resolved).toEqual([]);
  });

  it('makes a resolved finding that fails again NEW with a fresh firstSeen', () => {
    let states = nextFindingStates([], [fail('s1', 'i-1')], scan('s1', 'T1')).states;
    states = nextFindingStates(states, [pass('s2', 'i-1')], scan('s2', 'T2')).states;
    const third = nextFindingStates(states, [fail('s3', 'i-1')], scan('s3', 'T3'));
    expect(third.states[0]).toMatchObject({ state: 'NEW', firstSeen: 'T3', lastSeen: 'T3' });
    expect(third.changes.new).toHaveLength(1);
  });

  it('leaves resolved states alone while they keep passing', () => {
    let states = nextFindingStates([], [fail('s1', 'i-1')], scan('s1', 'T1')).states;
    states = nextFindingStates(states, [pass('s2', 'i-1')], scan('s2', 'T2')).states;
    expect(nextFindingStates(states, [pass('s3', 'i-1')], scan('s3', 'T3'))).toEqual({ states: [], changes: { new: [], resolved: [] } });
  });

  it('follows the rule verdict, not the waiver: a suppressed failure stays OPEN and is not resolved', () => {
    const first = nextFindingStates([], [fail('s1', 'i-1')], scan('s1', 'T1')).states;
    const suppressed = fail('s2', 'i-1', { status: 'SUPPRESSED' });
    const { states, changes } = nextFindingStates(first, [suppressed], scan('s2', 'T2'));
    expect(states[0]).toMatchObject({ state: 'OPEN' });
    expect(changes).toEqual({ new: [], resolved: [] });
  });

  it('is idempotent when the same scan id runs again over its own states', () => {
    const before = nextFindingStates([], [fail('s1', 'i-1'), fail('s1', 'i-2')], scan('s1', 'T1')).states;
    const second = nextFindingStates(before, [fail('s2', 'i-1'), pass('s2', 'i-2')], scan('s2', 'T2'));
    const merged = new Map(before.map((s) => [s.key, s]));
    for (const s of second.states) merged.set(s.key, s);
    const rerun = nextFindingStates([...merged.values()], [fail('s2', 'i-1'), pass('s2', 'i-2')], scan('s2', 'T2'));
    expect(rerun).toEqual(second);
  });

  it('keeps a NEW state NEW when its scan re-runs', () => {
    const first = nextFindingStates([], [fail('s1', 'i-1')], scan('s1', 'T1'));
    const rerun = nextFindingStates(first.states, [fail('s1', 'i-1')], scan('s1', 'T1'));
    expect(rerun).toEqual(first);
  });
});

describe('diffFindings', () => {
  it('lists failures that are new and failures that are resolved or gone between two scans', () => {
    const previous = [fail('s1', 'i-1'), fail('s1', 'i-2'), pass('s1', 'i-3'), fail('s1', 'i-4'), fail('s1', 'i-5', { region: 'us-east-1' })];
    const current = [fail('s2', 'i-1'), pass('s2', 'i-2'), fail('s2', 'i-3'), fail('s2', 'i-6')];
    const changes = diffFindings(previous, current, TARGETS);
    expect(changes.new.map((f) => f.resourceId)).toEqual(['i-3', 'i-6']);
    expect(changes.resolved.map((f) => f.resourceId)).toEqual(['i-2', 'i-4']);
  });

  it('treats everything failing as new when there is no previous scan', () => {
    expect(diffFindings([], [fail('s1', 'i-1'), pass('s1', 'i-2')], TARGETS).new.map((f) => f.resourceId)).toEqual(['i-1']);
  });
});
