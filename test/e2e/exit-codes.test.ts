/**
 * Exit codes a pipeline can trust: a run that checked nothing, or not everything, never exits 0
 * unless the user said it may; a failure of the run itself is told apart from bad input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { compliantEstate } from '../support/estate-builder';
import { acrossZones } from '../support/zone-spread';
import { FakeAws } from '../support/aws-fakes/fake-aws';
import { fakeClientOptions, useFakeDefaultCredentials } from '../support/aws-fakes/test-setup';

const SAMPLE = join(__dirname, '../../examples/estate.sample.json');
const dir = mkdtempSync(join(tmpdir(), 'rc-exit-'));

async function run(argv: string[], clientOptions = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), setExitCode: () => undefined, isTTY: false, columns: 160 }, clientOptions);
  return { code, stdout, stderr };
}

const clean = () => {
  const path = join(dir, 'clean.json');
  writeFileSync(path, JSON.stringify(acrossZones(compliantEstate()).snapshot()));
  return path;
};

describe('scan --snapshot', () => {
  it('exits 3 when no Redis server matches the role tag, naming the tag searched and the role-like tags seen', async () => {
    const { code, stderr } = await run(['scan', '--snapshot', SAMPLE, '--role-tag', 'Rolee', '--fail-on', 'low', '--allow-partial']);
    expect(code).toBe(3);
    expect(stderr).toContain('no Redis server matched the role tag Rolee=redis');
    expect(stderr).toMatch(/role-like tags seen: Role=redis \(\d+ instances\), Role=outsystems-frontend/);
    expect((await run(['scan', '--snapshot', SAMPLE, '--role-tag', 'Rolee', '--fail-on', 'low', '--allow-partial', '--allow-empty'])).code).toBe(0);
  });

  it('exits 3 on a PARTIAL scan unless --allow-partial; a FAIL at or above --fail-on still wins (1)', async () => {
    const partial = await run(['scan', '--snapshot', SAMPLE, '--format', 'json']);
    expect(partial.code).toBe(3);
    expect(partial.stderr).toContain('the scan is PARTIAL (reads failed in 444455556666/us-east-1)');
    expect((await run(['scan', '--snapshot', SAMPLE, '--format', 'json', '--allow-partial'])).code).toBe(0);
    expect((await run(['scan', '--snapshot', SAMPLE, '--format', 'json', '--fail-on', 'medium'])).code).toBe(1);
  });

  it('counts UNKNOWN findings in the gate with --fail-on-unknown', async () => {
    // The compliant estate has no CloudWatch metrics: capacity.bandwidth is UNKNOWN there.
    expect((await run(['scan', '--snapshot', clean(), '--fail-on', 'low'])).code).toBe(0);
    const counted = await run(['scan', '--snapshot', clean(), '--fail-on', 'low', '--fail-on-unknown']);
    expect(counted.code).toBe(1);
    expect(counted.stderr).toMatch(/\d+ UNKNOWN finding\(s\) at or above low/);
    expect((await run(['scan', '--snapshot', SAMPLE, '--allow-partial', '--fail-on-unknown'])).code).toBe(1);
  });

  it('exits 3 when one target yielded nothing (a region without any role-tagged instance)', async () => {
    const estate = acrossZones(compliantEstate()).snapshot();
    const empty = { ...estate.targets[0]!, region: 'us-west-2', ec2: { ...estate.targets[0]!.ec2, Reservations: [] } };
    const path = join(dir, 'one-empty.json');
    writeFileSync(path, JSON.stringify({ ...estate, targets: [...estate.targets, empty] }));
    const { code, stderr } = await run(['scan', '--snapshot', path, '--fail-on', 'low']);
    expect(code).toBe(3);
    expect(stderr).toContain('no instance carried the role tag in 111122223333/us-west-2');
    expect((await run(['scan', '--snapshot', path, '--fail-on', 'low', '--allow-empty'])).code).toBe(0);
  });

  it('refuses an output folder that does not exist before any work (2), and exits 4 when the write itself fails, saying what to do', async () => {
    const missing = await run(['scan', '--snapshot', clean(), '--output', join(dir, 'no-such-dir', 'out.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    // /dev/full accepts the open and fails every write with ENOSPC: a run-time failure, not bad input.
    const { code, stderr } = await run(['scan', '--snapshot', clean(), '--output', '/dev/full']);
    expect(code).toBe(4);
    expect(stderr).toMatch(/cannot write \/dev\/full \(ENOSPC\): check the directory exists/);
  });
});

describe('scan --live and capture when AssumeRole fails', () => {
  let restore: () => void;
  beforeAll(() => (restore = useFakeDefaultCredentials()));
  afterAll(() => restore());

  const denying = () => {
    const fake = new FakeAws().add(compliantEstate().target);
    fake.denyAssumeRole.add('111122223333');
    return fake;
  };
  const live = ['--regions', 'eu-west-1', '--accounts', '111122223333', '--role-name', 'RedisComplianceReader'];

  it('scan --live --fail-on low exits 3, not 0', async () => {
    const { code, stderr } = await run(['scan', '--live', ...live, '--fail-on', 'low'], fakeClientOptions(denying()));
    expect(code).toBe(3);
    expect(stderr).toContain('no Redis server matched the role tag Role=redis');
    expect(stderr).toContain('the scan is PARTIAL (reads failed in 111122223333/eu-west-1)');
  });

  it('capture then scan --snapshot --fail-on low exits 3', async () => {
    const out = join(dir, 'denied.json');
    expect((await run(['capture', ...live, '--out', out], fakeClientOptions(denying()))).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).targets[0].errors[0]).toMatchObject({ service: 'sts', operation: 'AssumeRole' });
    expect((await run(['scan', '--snapshot', out, '--fail-on', 'low'])).code).toBe(3);
  });
});
