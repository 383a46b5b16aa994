/**
 * The finding states computed as findings pass, from the previous states read without their
 * findings, write what nextFindingStates writes from the whole lists: the same states, the same
 * numbers of new and resolved failures, whatever the histories.
 */
import * as fc from 'fast-check';
import { nextFindingStates, resolve, type FindingLifecycle, type FindingState, type ScanPoint } from '../../lambdas/core/finding-states';
import { FindingStatesAsFindingsPass, pairOfKey, PreviousStates } from '../../lambdas/core/finding-states-stream';
import { findingKey, type Status, type StoredFinding } from '../../lambdas/core/model';
import { aStoredFinding } from '../support/findings-fixture';

const COVERED = { accountId: '111122223333', region: 'eu-west-1' };
const NOT_COVERED = { accountId: '444455556666', region: 'us-east-1' };
const SCAN: ScanPoint = { scanId: 'scan-3', at: '2030-01-03T00:00:00.000Z', targets: [COVERED] };

interface PairCase {
  covered: boolean;
  /** Slashes in resource ids are allowed (the key is read back). */
  resourceId: string;
  previous: 'none' | { state: FindingLifecycle; lastScanId: 'scan-1' | 'scan-2' | 'scan-3' };
  current: 'absent' | Status;
}

const pairCase: fc.Arbitrary<PairCase> = fc.record({
  covered: fc.boolean(),
  resourceId: fc.constantFrom('i-0a', 'i-0b', 'sg-0c', 'subnet/0d', 'cluster/a/b'),
  previous: fc.oneof(fc.constant('none' as const), fc.record({ state: fc.constantFrom<FindingLifecycle>('NEW', 'OPEN', 'RESOLVED'), lastScanId: fc.constantFrom('scan-1' as const, 'scan-2' as const, 'scan-3' as const) })),
  current: fc.constantFrom<PairCase['current']>('absent', 'FAIL', 'UNKNOWN', 'PASS', 'NOT_APPLICABLE'),
});

function materialise(cases: readonly PairCase[]): { previous: FindingState[]; current: StoredFinding[] } {
  const previous: FindingState[] = [];
  const current: StoredFinding[] = [];
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const where = c.covered ? COVERED : NOT_COVERED;
    const ruleId = i % 2 === 0 ? 'instance.vcpu' : 'redis.version';
    const base = { ...where, resourceId: `${c.resourceId}-${i}`, ruleId } as const;
    if (seen.has(findingKey(base))) return;
    seen.add(findingKey(base));
    if (c.previous !== 'none') {
      const finding = aStoredFinding(c.previous.lastScanId, { ...base, status: 'FAIL', ruleStatus: 'FAIL' });
      previous.push({
        key: findingKey(base),
        ...base,
        state: c.previous.state,
        firstSeen: '2030-01-01T00:00:00.000Z',
        lastSeen: c.previous.lastScanId === 'scan-1' ? '2030-01-01T00:00:00.000Z' : '2030-01-02T00:00:00.000Z',
        ...(c.previous.state === 'RESOLVED' ? { resolvedAt: '2030-01-02T00:00:00.000Z' } : {}),
        lastScanId: c.previous.lastScanId,
        finding,
      });
    }
    if (c.current !== 'absent') current.push(aStoredFinding(SCAN.scanId, { ...base, status: c.current, ruleStatus: c.current }));
  });
  return { previous, current };
}

/** The states written by the streamed computation, the resolved ones read back from the full list. */
function streamed(previousStates: readonly FindingState[], current: readonly StoredFinding[]) {
  const previous = new PreviousStates();
  for (const { finding: _finding, ...head } of previousStates) previous.add(head);
  const pass = new FindingStatesAsFindingsPass(previous, SCAN);
  const states: FindingState[] = [];
  for (const finding of current) {
    const state = pass.pass(finding);
    if (state) states.push(state);
  }
  const full = new Map(previousStates.map((s) => [s.key, s]));
  let resolved = 0;
  for (const key of pass.pairsToResolve(SCAN.targets)) {
    // Only the states that are written back are read back in full.
    const resolvedState = resolve(full.get(key)!, SCAN);
    expect(resolvedState).toBeDefined();
    resolved++;
    states.push(resolvedState!);
  }
  return { states, newFailures: pass.newFailures, resolvedFailures: resolved };
}

const byKey = (states: readonly FindingState[]) => [...states].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('FindingStatesAsFindingsPass', () => {
  it('writes the states nextFindingStates writes and counts the same changes', () => {
    fc.assert(
      fc.property(fc.array(pairCase, { maxLength: 40 }), (cases) => {
        const { previous, current } = materialise(cases);
        const whole = nextFindingStates(previous, current, SCAN);
        const got = streamed(previous, current);
        expect(byKey(got.states)).toEqual(byKey(whole.states));
        expect(got.newFailures).toBe(whole.changes.new.length);
        expect(got.resolvedFailures).toBe(whole.changes.resolved.length);
      }),
      { numRuns: 300 * Number(process.env.PROPERTY_RUNS_FACTOR ?? 1) },
    );
  });

  it('keeps one lifecycle object for the states one scan wrote', () => {
    const previous = new PreviousStates();
    const head = { accountId: COVERED.accountId, region: COVERED.region, ruleId: 'instance.vcpu' as const, state: 'OPEN' as const, firstSeen: '2030-01-01T00:00:00.000Z', lastSeen: '2030-01-02T00:00:00.000Z', lastScanId: 'scan-2' };
    previous.add({ ...head, resourceId: 'i-1', key: findingKey({ ...head, resourceId: 'i-1' }) });
    previous.add({ ...head, resourceId: 'i-2', key: findingKey({ ...head, resourceId: 'i-2' }) });
    expect(previous.size).toBe(2);
    expect(previous.get(findingKey({ ...head, resourceId: 'i-1' }))).toBe(previous.get(findingKey({ ...head, resourceId: 'i-2' })));
  });

  it('reads the pair back from its key, slashes in the resource id included', () => {
    expect(pairOfKey('111122223333/eu-west-1/cluster/a/b/cluster.size')).toEqual({ accountId: '111122223333', region: 'eu-west-1', resourceId: 'cluster/a/b', ruleId: 'cluster.size' });
  });
});
