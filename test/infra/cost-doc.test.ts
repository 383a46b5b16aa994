/**
 * docs/cost.md's tables are what scripts/cost-model.ts computes from the synthesized stacks: the
 * page cannot drift from the resources the app creates. Also checks the model itself on a hand-made
 * resource list, so a wrong formula is seen here and not only as a changed page.
 */
import { readFileSync } from 'node:fs';
import { costTables, deployedResources, monthlyCost, PRICES } from '../../scripts/cost-model';
import { buildTestApp } from './app-fixture';

it('docs/cost.md holds the tables scripts/estimate-cost.ts prints', () => {
  const { app } = buildTestApp({ fanOut: { enabled: true }, report: { slack: true, sender: 'compliance@example.com', recipients: ['ops@example.com'] } });
  const tables = costTables(deployedResources(app.synth().stacks.map((s) => s.template)));
  const doc = readFileSync('docs/cost.md', 'utf8');
  const generated = /<!-- cost-tables:begin[^>]*-->\n([\s\S]*?)\n<!-- cost-tables:end -->/.exec(doc)?.[1];
  // When this fails: `npx tsx scripts/estimate-cost.ts` and paste its output between the markers.
  expect(generated).toBe(tables);
});

it('prices fixed resources per month and usage per scan', () => {
  const resources = { functionMemoryMb: { Scan: 1024, Report: 512, Api: 512 }, kmsKeys: 2, secrets: 1, alarms: 10 };
  const none = monthlyCost(resources, { name: 'empty', redisServers: 0, frontends: 0, targets: 1 });
  const cost = (service: string) => none.find((l) => l.service === service)!.usd;
  expect(cost('KMS')).toBeGreaterThanOrEqual(2 * PRICES.kmsKeyMonth);
  expect(cost('Secrets Manager')).toBeCloseTo(PRICES.secretMonth, 10);
  expect(cost('Step Functions')).toBe(0);
  const big = monthlyCost(resources, { name: 'big', redisServers: 1000, frontends: 0, targets: 1 });
  // 1,000 servers: 30 scans x 2,000 metrics at $0.01 per 1,000 = $0.60 more CloudWatch.
  const watch = (lines: typeof none) => lines.find((l) => l.service.startsWith('CloudWatch'))!.usd;
  expect(watch(big) - watch(none)).toBeGreaterThanOrEqual(0.6);
  expect(big.find((l) => l.service === 'DynamoDB')!.usd).toBeGreaterThan(cost('DynamoDB'));
});
