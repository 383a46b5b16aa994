/** The CLI: `capture` then `scan --snapshot` reports what `scan --live` reports; bad flags exit 2. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../cli/program';
import { compliantEstate } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

function io() {
  const out = { stdout: '', stderr: '', exitCode: 0 };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), setExitCode: (c: number) => void (out.exitCode = c), isTTY: false, columns: 120 } };
}

const fake = () => new FakeAws().add(compliantEstate().target).add(generateEstate(60, '444455556666', 'eu-west-1').builder.target);
// A local scan's id is its evaluation time: the findings are compared without it.
const findingsOf = (json: string) => (JSON.parse(json) as { findings: Array<Record<string, unknown>> }).findings.map(({ scanId: _scanId, ...finding }) => finding);

test('capture then scan --snapshot gives the findings of scan --live', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-capture-'));
  const accountsFile = join(dir, 'accounts.txt');
  writeFileSync(accountsFile, '# production accounts\n111122223333\n444455556666 # second\n');
  const common = ['--regions', 'eu-west-1', '--accounts-file', accountsFile, '--role-name', 'RedisComplianceReader', '--concurrency', '2', '--max-attempts', '3'];

  const captured = io();
  const file = join(dir, 'estate.json');
  expect(await runCli(['capture', ...common, '--out', file], captured.io, fakeClientOptions(fake()))).toBe(0);
  expect(captured.out.stderr).toMatch(/Wrote .*estate\.json: 2 targets, 65 instances/);
  expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('redis-compliance/snapshot@1');

  const fromFile = io();
  expect(await runCli(['scan', '--snapshot', file, '--format', 'json'], fromFile.io)).toBe(0);
  const live = io();
  expect(await runCli(['scan', '--live', ...common, '--format', 'json'], live.io, fakeClientOptions(fake()))).toBe(0);
  expect(findingsOf(live.out.stdout)).toEqual(findingsOf(fromFile.out.stdout));
  expect(findingsOf(live.out.stdout).length).toBeGreaterThan(0);
});

test.each([
  [['capture', '--out', 'x.json'], /--regions is required/],
  [['capture', '--regions', 'eu-west-1', '--accounts', '111122223333'], /role name is required/],
  [['capture', '--regions', 'Europe'], /not an AWS region/],
  [['capture', '--regions', 'eu-west-1', '--concurrency', '0'], /--concurrency must be a positive integer/],
  [['scan', '--live', '--regions', 'eu-west-1', '--accounts', '12', '--role-name', 'R'], /not a 12-digit AWS account id/],
])('bad live flags are usage errors (exit 2): %j', async (argv, message) => {
  const run = io();
  expect(await runCli(argv as string[], run.io, fakeClientOptions(fake()))).toBe(2);
  expect(run.out.stderr).toMatch(message);
});
