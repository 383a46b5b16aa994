/** `scan --snapshot` on hostile files: exit 2 with one line naming the file, the JSON path and the limit. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/program';
import { capturedCliIo } from '../support/captured-cli-io';
import { hostileSnapshots, SAMPLE_TEXT } from '../fixtures/hostile/make-hostile-snapshots';

const dir = mkdtempSync(join(tmpdir(), 'rc-hostile-'));

async function scan(...argv: string[]) {
  const cli = capturedCliIo();
  // The sample estate's scan is PARTIAL (it records a capture error): accepted here.
  const code = await runCli(['scan', '--allow-partial', ...argv], cli.io);
  return { code, stdout: cli.out(), stderr: cli.err() };
}

it('refuses /dev/zero before reading it', async () => {
  const { code, stderr } = await scan('--snapshot', '/dev/zero', '--format', 'json');
  expect(code).toBe(2);
  expect(stderr).toContain('/dev/zero: invalid snapshot at $: a character device is not read (snapshots are read from regular files only)');
});

it('refuses a file over --max-snapshot-bytes and reads it when the limit is raised', async () => {
  const file = join(dir, 'sample.json');
  writeFileSync(file, SAMPLE_TEXT);
  const size = Buffer.byteLength(SAMPLE_TEXT);
  const refused = await scan('--snapshot', file, '--max-snapshot-bytes', String(size - 1), '--format', 'json');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`the file is larger than the limit of ${(size - 1).toLocaleString('en-US')} bytes (--max-snapshot-bytes raises it)`);
  expect((await scan('--snapshot', file, '--max-snapshot-bytes', String(size), '--format', 'json')).code).toBe(0);
  expect((await scan('--snapshot', file, '--max-snapshot-bytes', 'lots')).code).toBe(2);
});

it('a Redis server with a numeric InstanceId behind __proto__ is refused, not silently dropped', async () => {
  const hostile = hostileSnapshots().find((c) => c.name === 'target sections behind __proto__')!;
  const file = join(dir, 'proto.json');
  writeFileSync(file, hostile.text);
  const { code, stdout, stderr } = await scan('--snapshot', file, '--format', 'json');
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toContain(`${file}: invalid snapshot at $.targets[0]: the key "__proto__" is not accepted`);
});

it('a null record is refused with the file and the path, not a TypeError', async () => {
  const hostile = hostileSnapshots().find((c) => c.name === 'a null subnet')!;
  const file = join(dir, 'null.json');
  writeFileSync(file, hostile.text);
  const { code, stderr } = await scan('--snapshot', file);
  expect(code).toBe(2);
  expect(stderr).toContain(`${file}: invalid snapshot at $.targets[0].ec2.Subnets[1]:`);
  expect(stderr).not.toMatch(/Cannot read properties/);
});

it('reads a file that begins with a UTF-8 byte-order mark (as PowerShell writes it)', async () => {
  const file = join(dir, 'bom.json');
  writeFileSync(file, `\uFEFF${SAMPLE_TEXT}`);
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, SAMPLE_TEXT);
  const withBom = await scan('--snapshot', file, '--format', 'json');
  expect(withBom.code).toBe(0);
  const strip = (text: string) => text.replace(/"(scanId|evaluatedAt|startedAt|finishedAt|generatedAt)": ?"[^"]*"/g, '');
  expect(strip(withBom.stdout)).toBe(strip((await scan('--snapshot', plain, '--format', 'json')).stdout));
});
