import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import type { ScanResult } from '../../lambdas/core/model';
import { compliantEstate } from '../support/estate-builder';
import { acrossZones } from '../support/zone-spread';

const SAMPLE = join(__dirname, '../../examples/estate.sample.json');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), setExitCode: () => undefined, isTTY: false, columns: 160 });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('redis-compliance scan', () => {
  it('prints the redis-compliance/report@1 JSON for the sample estate', async () => {
    const { code, stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { format: string; scan: ScanResult['scan'] & { notEvaluated: Array<{ instanceId: string }> }; summary: { counts: Record<string, number> }; findings: unknown[] };
    expect(Object.keys(result)).toEqual(['format', 'generatedAt', 'scan', 'summary', 'findings']);
    expect(result.format).toBe('redis-compliance/report@1');
    expect(result.scan.status).toBe('PARTIAL');
    expect(result.summary.counts.FAIL).toBeGreaterThan(0);
    expect(result.scan.notEvaluated.map((n) => n.instanceId)).toEqual(['i-0a11c0ffee00000a4']);
    for (const f of result.findings) {
      for (const field of ['ruleId', 'resourceType', 'resourceId', 'accountId', 'region', 'environment', 'status', 'severity', 'title', 'observed', 'required', 'requirement', 'remediation']) {
        expect(f).toHaveProperty(field);
      }
    }
  });

  it('prints a table with a summary, without colour when not a terminal', async () => {
    const { code, stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial');
    expect(code).toBe(0);
    expect(stdout).toContain('instance.clock-speed');
    expect(stdout).toContain('Summary');
    expect(stdout).toContain('Not evaluated: i-0a11c0ffee00000a4');
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 1 when a FAIL at or above --fail-on exists, 0 when none does', async () => {
    expect((await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--fail-on', 'medium')).code).toBe(1);
    // Spread over three zones: cluster.zone-spread (low) fails a cluster in one zone.
    const clean = file('clean.json', JSON.stringify(acrossZones(compliantEstate()).snapshot()));
    expect((await run('scan', '--snapshot', clean, '--format', 'json', '--fail-on', 'low')).code).toBe(0);
  });

  it.each([
    ['csv', /^scanId,accountId,region,resourceType,resourceId/],
    ['markdown', /^# Redis compliance report/],
    ['html', /^<!doctype html>/],
  ])('renders --format %s from the same findings', async (format, start) => {
    const { code, stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', format);
    expect(code).toBe(0);
    expect(stdout).toMatch(start);
    expect(stdout).toContain('i-0a11c0ffee00000a2');
    expect(stdout).toContain('instance.clock-speed');
  });

  it('writes the report to --output', async () => {
    const out = join(dir, 'out.json');
    const { code, stderr } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--output', out);
    expect(code).toBe(0);
    expect(stderr).toContain(out);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings.length).toBeGreaterThan(0);
  });

  it('exits 2 naming the file and the JSON path of a malformed snapshot', async () => {
    const data = compliantEstate().snapshot() as unknown as Record<string, any>;
    data.targets[0].ec2.Reservations[0].Instances[0].InstanceId = 42;
    const bad = file('bad.json', JSON.stringify(data));
    const { code, stderr } = await run('scan', '--snapshot', bad);
    expect(code).toBe(2);
    expect(stderr).toContain(bad);
    expect(stderr).toContain('$.targets[0].ec2.Reservations[0].Instances[0].InstanceId');
  });

  it.each([
    [['scan', '--snapshot', '/nonexistent/estate.json'], 'cannot read the snapshot'],
    [['scan'], 'needs --snapshot'],
    [['scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'pdf'], "argument 'pdf' is invalid"],
    [['scan', '--snapshot', SAMPLE, '--allow-partial', '--fail-on', 'severe'], "argument 'severe' is invalid"],
    [['frobnicate'], 'unknown command'],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits 2 on a malformed config file', async () => {
    const config = file('config.json', JSON.stringify({ tags: { productionValues: [] } }));
    const { code, stderr } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--config', config);
    expect(code).toBe(2);
    expect(stderr).toContain('$.tags.productionValues');
  });

  describe('waivers from the config file', () => {
    // Within the waiver policy's default 365 days.
    const IN_90_DAYS = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
    const waiver = (expiresAt: string) =>
      file(`waiver-${expiresAt.slice(0, 4)}.json`, JSON.stringify({ suppressions: [{ id: 'dev-clock', ruleId: 'instance.clock-speed', resourcePattern: 'i-0a11c0ffee00000*', reason: 'burstable until Q1', owner: 'platform-team', expiresAt }] }));

    it('mark waived failures SUPPRESSED, count them apart, and keep them out of --fail-on', async () => {
      const { code, stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--config', waiver(IN_90_DAYS), '--fail-on', 'medium');
      const result = JSON.parse(stdout) as { summary: { counts: Record<string, number> }; findings: Array<{ ruleId: string; status: string; ruleStatus: string; suppression?: { id: string } }> };
      const clock = result.findings.filter((f) => f.ruleId === 'instance.clock-speed' && f.ruleStatus === 'FAIL');
      expect(clock.length).toBe(2);
      for (const f of clock) expect(f).toMatchObject({ status: 'SUPPRESSED', suppression: { id: 'dev-clock' } });
      expect(result.summary.counts.SUPPRESSED).toBe(2);
      // Other medium failures remain, so --fail-on medium still trips; --fail-on high is decided by the rest.
      expect(code).toBe(1);
    });

    it('bring the finding back when the waiver has expired, and say so', async () => {
      const { stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--config', waiver('2020-01-01T00:00:00Z'));
      const result = JSON.parse(stdout) as { summary: { counts: Record<string, number> }; findings: Array<{ ruleId: string; status: string; waiverExpired?: { id: string; expiredAt: string } }> };
      const clock = result.findings.filter((f) => f.ruleId === 'instance.clock-speed' && f.status === 'FAIL');
      expect(clock.length).toBe(2);
      for (const f of clock) expect(f.waiverExpired).toEqual(expect.objectContaining({ id: 'dev-clock', expiredAt: '2020-01-01T00:00:00Z' }));
      expect(result.summary.counts.SUPPRESSED).toBe(0);
    });

    it('show the waiver in the table', async () => {
      const { stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--config', waiver(IN_90_DAYS));
      expect(stdout).toContain('SUPPRESSED');
      expect(stdout).toContain('Waived until');
      expect(stdout).toContain('SUPPRESSED ');
      expect(stdout).toContain('burstable');
    });
  });

  it('honours tag flags: a different role tag finds no servers', async () => {
    const { stdout } = await run('scan', '--snapshot', SAMPLE, '--allow-partial', '--format', 'json', '--role-tag', 'Service');
    expect((JSON.parse(stdout) as { scan: { redisServers: number } }).scan.redisServers).toBe(0);
  });

  it('documents every option in --help and exits 0', async () => {
    const { code, stdout } = await run('scan', '--help');
    expect(code).toBe(0);
    for (const option of ['--snapshot', '--config', '--format', '--output', '--fail-on']) expect(stdout).toContain(option);
  });
});
