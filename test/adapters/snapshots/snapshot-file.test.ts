/** Snapshot files written and read as streams, on a real file system: same text, same findings. */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evaluateSnapshotFile, readSnapshotFile, writeSnapshotFile } from '../../../lambdas/adapters/snapshots/snapshot-file';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { parseSnapshot, SnapshotError } from '../../../lambdas/core/snapshot/parse-snapshot';
import { generateSnapshot } from '../../support/estate-generator';

const NOW = () => new Date('2026-11-25T03:00:00Z');
let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'snapshot-file-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes the text JSON.stringify(snapshot, null, 2) would, and reads back the same snapshot', async () => {
  const snapshot = generateSnapshot(20261126, 30);
  const file = path.join(dir, 'estate.json');
  await writeSnapshotFile(file, snapshot);
  expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(snapshot, null, 2)}\n`);
  expect(await readSnapshotFile(file)).toEqual(parseSnapshot(readFileSync(file, 'utf8'), file));
});

it('evaluates a file target by target into the result evaluateSnapshot gives, byte for byte', async () => {
  const snapshot = generateSnapshot(7, 40);
  const sample = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/estate.sample.json'), 'utf8'));
  for (const [name, estate] of [['generated', snapshot], ['sample', sample]] as const) {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(estate));
    const streamed = await evaluateSnapshotFile(file, { now: NOW });
    expect(streamed.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(evaluateSnapshot(parseSnapshot(JSON.stringify(estate), file), { now: NOW })));
  }
});

it('reports a missing file and a bad file without a result', async () => {
  await expect(evaluateSnapshotFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{"format":"redis-compliance/snapshot@1","capturedAt":"2026-11-25T00:00:00Z","targets":[{"accountId":"1"');
  await expect(evaluateSnapshotFile(bad)).rejects.toBeInstanceOf(SnapshotError);
});

it('refuses to write into a directory that does not exist', async () => {
  await expect(writeSnapshotFile(path.join(dir, 'no', 'such', 'dir.json'), generateSnapshot(1, 2))).rejects.toMatchObject({ code: 'ENOENT' });
});

describe('files the reader refuses before or while reading, naming the limit', () => {
  it('refuses a FIFO without a writer and a device before reading a byte', async () => {
    const fifo = path.join(dir, 'estate.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readSnapshotFile(fifo)).rejects.toThrow(`${fifo}: invalid snapshot at $: a FIFO (named pipe) is not read (snapshots are read from regular files only)`);
    await expect(readSnapshotFile('/dev/zero')).rejects.toThrow('/dev/zero: invalid snapshot at $: a character device is not read (snapshots are read from regular files only)');
    await expect(readSnapshotFile(dir)).rejects.toThrow(/a directory is not read/);
  });

  it('refuses a file over the byte limit, which the caller may raise', async () => {
    const file = path.join(dir, 'sample.json');
    const text = readFileSync(path.join(__dirname, '../../../examples/estate.sample.json'), 'utf8');
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    await expect(readSnapshotFile(file, { maxBytes: size - 1 })).rejects.toThrow(`the file is larger than the limit of ${(size - 1).toLocaleString('en-US')} bytes (--max-snapshot-bytes raises it)`);
    expect((await readSnapshotFile(file, { maxBytes: size })).targets.length).toBeGreaterThan(0);
  });

  it('stops at a 40 MB string value with its path, not at the end of it', async () => {
    const data = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/estate.sample.json'), 'utf8'));
    data.targets[0].ec2.Reservations[0].Instances[0].Description = '@@';
    const [before, after] = JSON.stringify(data).split('@@') as [string, string];
    const file = path.join(dir, 'huge-value.json');
    writeFileSync(file, before);
    appendFileSync(file, Buffer.alloc(40 * 1024 * 1024, 'a'));
    appendFileSync(file, after);
    await expect(readSnapshotFile(file)).rejects.toThrow('invalid snapshot at $.targets[0].ec2.Reservations[0].Instances[0].Description: a string longer than 65,536 characters');
  });
});
