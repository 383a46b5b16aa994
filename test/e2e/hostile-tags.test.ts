/**
 * Tag values are attacker-controlled: a tag carrying a terminal escape (OSC title, CSI colour), C1
 * controls and bidirectional overrides reaches no output format, whatever renders it: every text from
 * AWS is cleaned once, where the estate is built from the snapshot.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { cleanEvidenceText } from '../../lambdas/core/evidence-text';
import { renderSlackMessage } from '../../lambdas/core/report/render-slack';
import { reportModelFromScanResult } from '../../lambdas/core/report/report-model-from-scan-result';
import { compliantEstate } from '../support/estate-builder';

/** Every C0 / C1 control except the line breaks an output format uses itself (CR, LF), DEL, and every bidi control. */
const FORBIDDEN = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const HOSTILE = (label: string) => `${label}\u001b]0;pwned\u0007\u001b[31m\u009b2J\u202Egnp.exe\u2066x\u2069\u0000\t\r\nend`;

function hostileSnapshot() {
  const builder = compliantEstate().mutate((target) => {
    for (const reservation of target.ec2.Reservations) {
      for (const instance of reservation.Instances ?? []) {
        setTag(instance, 'Name', HOSTILE('name'));
        setTag(instance, 'Environment', HOSTILE('prod'));
        if (instance.Tags?.some((t) => t.Key === 'Role' && t.Value === 'redis')) setTag(instance, 'RedisCluster', HOSTILE('cluster'));
      }
    }
    for (const subnet of target.ec2.Subnets) setTag(subnet, 'Name', HOSTILE('subnet'));
    for (const group of target.ec2.SecurityGroups) group.GroupName = HOSTILE('group');
    // A public address: the Redis servers fail instance.public-address, so the table lists them.
    target.ec2.Reservations[0]!.Instances![0]!.PublicIpAddress = '203.0.113.7';
  });
  builder.error({ service: 'ssm', operation: 'ListInventoryEntries', code: `Throttling${'\u001b[2J'}`, message: HOSTILE('message') });
  return builder.snapshot();
}

function setTag(record: { Tags?: Array<{ Key?: string; Value?: string }> }, key: string, value: string): void {
  const tag = record.Tags?.find((t) => t.Key === key);
  if (tag) tag.Value = value;
  else record.Tags = [...(record.Tags ?? []), { Key: key, Value: value }];
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) strings(item, out);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'rc-hostile-'));
const file = join(dir, 'hostile.json');
writeFileSync(file, JSON.stringify(hostileSnapshot()));

async function scan(format: string): Promise<string> {
  let stdout = '';
  await runCli(['scan', '--snapshot', file, '--format', format, '--all', '--allow-partial'], { stdout: (t) => (stdout += t), stderr: () => undefined, setExitCode: () => undefined, isTTY: true, columns: 200 }, {});
  return stdout;
}

test('the hostile tags are in the evidence (the test would see them)', () => {
  const result = evaluateSnapshot(hostileSnapshot());
  expect(result.findings.some((f) => f.resourceName?.startsWith('name'))).toBe(true);
  expect(result.findings.some((f) => f.resourceId.includes('cluster'))).toBe(true);
  expect(result.findings.some((f) => f.resourceName?.startsWith('subnet'))).toBe(true);
});

test.each(['table', 'json', 'csv', 'markdown', 'html', 'asff', 'ocsf'])('--format %s carries no control or bidi character from a tag', async (format) => {
  const output = await scan(format);
  expect(output).toContain('pwned');
  // The table colours its own output (a terminal): only ESC sequences of the table itself remain.
  const text = format === 'table' ? output.replace(/\u001b\[[0-9;]*m/g, '') : output;
  expect(text).not.toMatch(FORBIDDEN);
  if (['json', 'asff', 'ocsf'].includes(format)) for (const s of strings(JSON.parse(output))) expect(s).not.toMatch(/[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
});

test('the Slack message carries no control or bidi character from a tag', () => {
  const result = evaluateSnapshot(hostileSnapshot(), { now: () => new Date('2026-11-25T03:00:00Z') });
  const message = JSON.stringify(renderSlackMessage(reportModelFromScanResult(result, new Date('2026-11-25T03:00:00Z'))));
  expect(message).toContain('pwned');
  for (const s of strings(JSON.parse(message))) expect(s).not.toMatch(FORBIDDEN);
});

test('the cleaning keeps the words apart and drops only controls', () => {
  expect(cleanEvidenceText(HOSTILE('a'))).toBe('a]0;pwned[31m2Jgnp.exex   end');
  expect(cleanEvidenceText('redis-prod-1')).toBe('redis-prod-1');
});
