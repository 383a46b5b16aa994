/** ChangesSincePrevious gives diffFindings' answer over both scans' every finding, from what the report holds. */
import { diffFindings } from '../../../lambdas/core/finding-states';
import { findingKey, type FindingStatus, type RuleId, type Status, type StoredFinding } from '../../../lambdas/core/model';
import { ChangesSincePrevious } from '../../../lambdas/core/report/changes-since-previous';
import { compareStoredFindings } from '../../../lambdas/core/report/order-findings';
import { storedFinding } from '../../support/report-fixtures';

const PLACES = [
  { accountId: '111122223333', region: 'eu-west-1' },
  { accountId: '111122223333', region: 'us-east-1' },
  { accountId: '444455556666', region: 'eu-west-1' },
];
const RULES: RuleId[] = ['instance.vcpu', 'instance.disk', 'network.frontend-reachability'];
const VERDICTS: Array<[FindingStatus, Status]> = [
  ['FAIL', 'FAIL'],
  ['UNKNOWN', 'UNKNOWN'],
  ['SUPPRESSED', 'FAIL'],
  ['SUPPRESSED', 'UNKNOWN'],
  ['PASS', 'PASS'],
  ['NOT_APPLICABLE', 'NOT_APPLICABLE'],
];

/** One scan: each (place, resource, rule) present or not, with a random verdict. */
function scan(next: () => number, scanId: string): StoredFinding[] {
  const out: StoredFinding[] = [];
  for (const place of PLACES)
    for (let r = 0; r < 4; r++)
      for (const ruleId of RULES) {
        if (next() < 0.25) continue;
        const [status, ruleStatus] = VERDICTS[Math.floor(next() * VERDICTS.length)]!;
        out.push(storedFinding({ scanId, ...place, resourceId: `i-${r}`, ruleId, status, ruleStatus }));
      }
  return out;
}

const names = (findings: readonly StoredFinding[]) => [...findings].sort(compareStoredFindings).map((f) => `${f.scanId} ${findingKey(f)}`);

describe('ChangesSincePrevious', () => {
  it('gives the new and resolved pairs diffFindings gives over both scans, for many random scan pairs and covered targets', () => {
    let state = 42;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    let resolvedOutside = 0;
    for (let round = 0; round < 200; round++) {
      const previous = scan(next, 'previous');
      const current = scan(next, 'current');
      const covered = PLACES.filter(() => next() < 0.7);
      const coveredKeys = new Set(covered.map((t) => `${t.accountId}/${t.region}`));
      const expected = diffFindings(previous, current, covered);
      const needing = current.filter((f) => f.status === 'FAIL' || f.status === 'UNKNOWN' || f.status === 'SUPPRESSED');
      const passingOutside = new Set(current.filter((f) => !needing.includes(f) && !coveredKeys.has(`${f.accountId}/${f.region}`)).map(findingKey));
      const comparison = new ChangesSincePrevious(needing, covered, passingOutside);
      for (const before of previous) comparison.addPrevious(before);
      const actual = comparison.changes();
      expect({ new: names(actual.new), resolved: names(actual.resolved) }).toEqual({ new: names(expected.new), resolved: names(expected.resolved) });
      resolvedOutside += expected.resolved.filter((f) => !coveredKeys.has(`${f.accountId}/${f.region}`)).length;
    }
    // The rounds include pairs resolved outside the covered targets (passing there now).
    expect(resolvedOutside).toBeGreaterThan(0);
  });
});
