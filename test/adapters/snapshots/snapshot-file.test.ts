/** Snapshot files written and read as streams, on a real file system: same text, same findings. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
