/**
 * The fan-out sized by its work: the execution timeout (and the scan lease) grow with the targets
 * instead of a fixed 3 hours that about 72 targets fill at 4 workers of 10 minutes; docs/deploy.md's
 * capacity table is the formula's output; a timeout above a day warns at synth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { fanOutTimeoutMinutes } from '../../lib/constructs/fan-out-budget';
import { capacityMonthlyCost, deployedResources } from '../../scripts/cost-model';
import { buildTestApp } from './app-fixture';

const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919));

function timeoutSeconds(t: Template): number {
  const body = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]!['Properties']['DefinitionString'];
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text)['TimeoutSeconds'] as number;
}

test('every target gets its minutes: 100 accounts x 2 regions at 4 workers of 10 minutes need more than the old 3 hours', () => {
  const built = buildTestApp({ fanOut: { enabled: true }, targets: { regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: accounts(100) } });
  const t = Template.fromStack(built.stacks.scanner);
  // 200 targets / 4 = 50 waves x 10 min, + listing, merge and margin.
  expect(timeoutSeconds(t)).toBe((10 + 500 + 15 + 30) * 60);
  expect(timeoutSeconds(t)).toBeGreaterThan(3 * 3600);
  // Every start path's lease covers it.
  const leases = Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f['Properties']['Environment']?.['Variables']?.['SCAN_LEASE_SECONDS']).filter(Boolean).map(Number);
  expect(leases.length).toBe(5);
  for (const lease of leases) expect(lease).toBeGreaterThanOrEqual(timeoutSeconds(t));
});

test('organization mode sizes by fanOut.maxTargets; longer than a day warns', () => {
  const built = buildTestApp({ fanOut: { enabled: true, maxTargets: 5000, maxConcurrency: 10 }, targets: { regions: ['eu-west-1'], source: 'organization' } });
  expect(timeoutSeconds(Template.fromStack(built.stacks.scanner))).toBe(fanOutTimeoutMinutes({ targets: 5000, maxConcurrency: 10, minutesPerTarget: 10 }) * 60);
  Annotations.fromStack(built.stacks.scanner).hasWarning('*', Match.stringLikeRegexp('Raise fanOut.maxConcurrency'));
  const small = buildTestApp({ fanOut: { enabled: true } });
  expect(timeoutSeconds(Template.fromStack(small.stacks.scanner))).toBe(3 * 3600);
  Annotations.fromStack(small.stacks.scanner).hasNoWarning('*', Match.stringLikeRegexp('Raise fanOut.maxConcurrency'));
});

test('docs/deploy.md\'s capacity table is the formula\'s output: wall time by maxConcurrency, and the monthly cost of the cost model', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Fan-out capacity'), doc.indexOf('## Calling the API'));
  const headers = /^\| targets \(account x region\) \| (.+) \|$/m.exec(section)![1]!.split(' | ');
  expect(headers.at(-1)).toBe('cost per month');
  const concurrency = headers.slice(0, -1).map((h) => Number(h.replace('maxConcurrency ', '')));
  const rows = [...section.matchAll(/^\| ([\d,]+) \| (.+) \|$/gm)];
  expect(rows.length).toBeGreaterThanOrEqual(5);
  // The same app as docs/cost.md's tables (test/infra/cost-doc.test.ts).
  const { app } = buildTestApp({ fanOut: { enabled: true }, report: { slack: true, sender: 'compliance@example.com', recipients: ['ops@example.com'] } });
  const resources = deployedResources(app.synth().stacks.map((s) => s.template));
  const fmt = (m: number) => `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  for (const [, targetsText, cells] of rows) {
    const targets = Number(targetsText!.replace(/,/g, ''));
    const expected = [...concurrency.map((c) => fmt(fanOutTimeoutMinutes({ targets, maxConcurrency: c, minutesPerTarget: 10 }))), capacityMonthlyCost(resources, targets)];
    expect([targetsText, cells!.split(' | ')]).toEqual([targetsText, expected]);
  }
});
