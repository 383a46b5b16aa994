import type { RuleId, StoredFinding } from '../../../lambdas/core/model';
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
});
