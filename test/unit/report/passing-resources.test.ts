import type { RuleId, StoredFinding } from '../../../lambdas/core/model';
import { sortFindings } from '../../../lambdas/core/sort-findings';
import { PassingCollector, type PassingResources } from '../../../lambdas/core/report/passing-resources';
import { ACCOUNT, REGION, storedFinding } from '../../support/report-fixtures';

function passingResources(findings: readonly StoredFinding[]): PassingResources {
  const collector = new PassingCollector();
  for (const f of findings) collector.add(f);
  return collector.result();
}

describe('passingResources', () => {
  const pass = (ruleId: RuleId, resourceId: string, more: Parameters<typeof storedFinding>[0] = {}) => storedFinding({ ruleId, resourceId, status: 'PASS', title: `title ${ruleId}`, ...more });

  it('counts findings per rule and lists each resource once, under exactly the verdicts it has', () => {
    const result = passingResources([
      pass('instance.vcpu', 'i-1'),
      pass('instance.disk', 'i-1'),
      pass('instance.disk', 'i-2'),
      pass('instance.vcpu', 'i-2'),
      pass('instance.disk', 'i-3'),
      storedFinding({ ruleId: 'network.frontend-reachability', resourceId: 'i-3', status: 'NOT_APPLICABLE' }),
      storedFinding({ ruleId: 'instance.disk', resourceId: 'i-4', status: 'FAIL' }),
    ]);
    expect(result.findings).toBe(6);
    expect(result.tallies.map((t) => [t.ruleId, t.status, t.count, t.sets])).toEqual([
      ['instance.disk', 'PASS', 3, [0, 1]],
      ['instance.vcpu', 'PASS', 2, [0]],
      ['network.frontend-reachability', 'NOT_APPLICABLE', 1, [1]],
    ]);
    expect(result.sets.map((s) => [s.tallies, s.resources.map((r) => r.resourceId)])).toEqual([
      [[0, 1], ['i-1', 'i-2']],
      [[0, 2], ['i-3']],
    ]);
  });

  it('keeps apart the same id in two accounts or regions', () => {
    const result = passingResources([
      pass('instance.disk', 'sg-1'),
      pass('instance.disk', 'sg-1', { accountId: '999988887777' }),
      pass('instance.vcpu', 'sg-1', { region: 'us-east-1' }),
      pass('instance.vcpu', 'sg-1'),
    ]);
    const places = result.sets.flatMap((s) => s.resources.map((r) => `${r.accountId}/${r.region}/${r.resourceId}: ${s.tallies.map((t) => result.tallies[t]!.ruleId).join(' ')}`));
    expect(places.sort()).toEqual([`${ACCOUNT}/${REGION}/sg-1: instance.disk instance.vcpu`, `${ACCOUNT}/us-east-1/sg-1: instance.vcpu`, `999988887777/${REGION}/sg-1: instance.disk`].sort());
  });

  it('is empty when nothing passes', () => {
    expect(passingResources([storedFinding({ status: 'UNKNOWN' })])).toEqual({ findings: 0, tallies: [], sets: [] });
  });

  it('gives the same result whatever order the findings come in: the title and the name of the first finding in report order', () => {
    // A store reads findings by status, severity and rule: not the report's order. Titles and names
    // that differ between a rule's (or a resource's) findings must not depend on it.
    const findings: StoredFinding[] = [];
    for (let i = 0; i < 40; i++) {
      const resourceId = `i-${String(i % 7).padStart(3, '0')}`;
      findings.push(
        pass(i % 2 === 0 ? 'instance.vcpu' : 'instance.disk', resourceId, {
          severity: i % 3 === 0 ? 'high' : 'low',
          title: `title variant ${i % 5}`,
          resourceName: i % 4 === 0 ? undefined : `name-${i % 6}`,
        }),
      );
    }
    const sorted = [...findings];
    sortFindings(sorted);
    const expected = passingResources(sorted);
    expect(new Set(expected.tallies.map((t) => t.title)).size).toBeGreaterThan(0);
    for (let seed = 1; seed <= 20; seed++) {
      let state = seed;
      const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
      const shuffled = [...findings];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(passingResources(shuffled)).toEqual(expected);
    }
    // The first in report order: high before low, then by resource.
    const firstVcpu = sorted.find((f) => f.ruleId === 'instance.vcpu')!;
    expect(expected.tallies.find((t) => t.ruleId === 'instance.vcpu')!.title).toBe(firstVcpu.title);
  });
});
