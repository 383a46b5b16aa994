/**
 * The streamed snapshot reader against parseSnapshot, the whole-document reader it stands in for:
 * on any generated estate, whatever the chunk boundaries and formatting, it hands out the same
 * targets; on bad documents it fails with a SnapshotError naming the source and the JSON path.
 */
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseSnapshot, SnapshotError } from '../../../lambdas/core/snapshot/parse-snapshot';
import type { SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { SnapshotStreamReader, type SnapshotHeader } from '../../../lambdas/core/snapshot/snapshot-stream-reader';
import { estateSeedArbitrary, generateSnapshot } from '../../support/estate-generator';

const SAMPLE = readFileSync(path.join(__dirname, '../../../examples/estate.sample.json'), 'utf8');

/** Streams `text` cut at `cuts` (byte offsets) and returns what the reader handed out. */
function stream(text: string, cuts: readonly number[] = [], source = 'estate.json'): { header: SnapshotHeader; targets: SnapshotTarget[] } {
  const bytes = Buffer.from(text, 'utf8');
  const targets: SnapshotTarget[] = [];
  const reader = new SnapshotStreamReader(source, (target, index) => {
    expect(index).toBe(targets.length);
    targets.push(target);
  });
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    reader.push(bytes.subarray(at, cut));
    at = cut;
  }
  reader.push(bytes.subarray(at));
  return { header: reader.end(), targets };
}

function expectSameAsParse(text: string, cuts: readonly number[] = []): void {
  const whole = parseSnapshot(text, 'estate.json');
  const streamed = stream(text, cuts);
  expect({ ...streamed.header, targets: streamed.targets }).toEqual(whole);
}

function errorOf(run: () => unknown): SnapshotError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return error as SnapshotError;
  }
  throw new Error('no error was thrown');
}

describe('valid snapshots: the same targets as parseSnapshot', () => {
  it('reads the sample estate in one chunk, in 1 MiB chunks and one byte at a time', () => {
    expectSameAsParse(SAMPLE);
    const everyByte = Array.from({ length: Buffer.byteLength(SAMPLE) }, (_, i) => i);
    expectSameAsParse(SAMPLE, everyByte);
  });

  it('reads generated estates, compact or indented, cut anywhere', () => {
    fc.assert(
      fc.property(estateSeedArbitrary(4), fc.boolean(), fc.array(fc.nat(), { maxLength: 40 }), ({ seed, size }, indented, cuts) => {
        const snapshot = generateSnapshot(seed, size);
        const text = indented ? JSON.stringify(snapshot, null, 2) : JSON.stringify(snapshot);
        const length = Buffer.byteLength(text);
        expectSameAsParse(text, cuts.map((c) => c % length));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps strings that look like structure, escapes and multi-byte characters cut between chunks', () => {
    const snapshot = JSON.parse(SAMPLE);
    const instance = snapshot.targets[0].ec2.Reservations[0].Instances[0];
    instance.Tags.push({ Key: 'Note', Value: 'a "quoted" }],{ value \\ with \u00e9\u4e2d\ud83d\ude00 and \n newline' });
    instance.Tags.push({ Key: 'Odd', Value: 'one " quote then }] and a trailing backslash \\' });
    snapshot['extra key \u00e9'] = { nested: [1, 2, { deep: '}' }] };
    snapshot.targets[0].unknownField = [true, false, null, -1.5e3];
    const text = JSON.stringify(snapshot, null, '\t');
    const bytes = Buffer.from(text, 'utf8');
    // Every cut inside the tricky tag value and the extra key, where a wrong string state would show.
    for (const marker of ['a \\"quoted', '"extra key', 'one \\" quote', 'trailing backslash']) {
      const start = bytes.indexOf(Buffer.from(marker, 'utf8'));
      expect(start).toBeGreaterThan(0);
      for (let cut = start - 2; cut < start + 90; cut += 3) expectSameAsParse(text, [cut, cut + 1, cut + 3]);
    }
  });

  it('hands each target out before the next is read', () => {
    const snapshot = JSON.parse(SAMPLE);
    const second = structuredClone(snapshot.targets[0]);
    second.accountId = '999988887777';
    snapshot.targets.push(second);
    const text = JSON.stringify(snapshot);
    const seen: string[] = [];
    const reader = new SnapshotStreamReader('two.json', (target) => seen.push(target.accountId));
    const lastStart = text.indexOf('"999988887777"');
    const before = snapshot.targets.slice(0, -1).map((t: SnapshotTarget) => t.accountId);
    reader.push(Buffer.from(text.slice(0, lastStart)));
    expect(seen).toEqual(before);
    reader.push(Buffer.from(text.slice(lastStart)));
    reader.end();
    expect(seen).toEqual([...before, '999988887777']);
  });

  it('accepts the document fields after the targets', () => {
    const { format, capturedAt, targets } = JSON.parse(SAMPLE);
    expectSameAsParse(JSON.stringify({ targets, capturedAt, format }));
  });
});

describe('invalid snapshots: a SnapshotError with the source and JSON path', () => {
  const sample = (): Record<string, any> => JSON.parse(SAMPLE);

  it.each([
    ['a bad account id', (s: any) => (s.targets[0].accountId = '12'), '$.targets[0].accountId'],
    ['an instance without an id', (s: any) => delete s.targets[0].ec2.Reservations[0].Instances[0].InstanceId, '$.targets[0].ec2.Reservations[0].Instances[0].InstanceId'],
    ['a list that is not a list', (s: any) => (s.targets[0].ec2.Volumes = 5), '$.targets[0].ec2.Volumes'],
    ['a section that is not an object', (s: any) => (s.targets[0].ssm = 'none'), '$.targets[0].ssm'],
    ['a target that is not an object', (s: any) => (s.targets[0] = 7), '$.targets[0]'],
    ['targets that are not a list', (s: any) => (s.targets = {}), '$.targets'],
    ['a missing targets list', (s: any) => delete s.targets, '$.targets'],
    ['another format', (s: any) => (s.format = 'redis-compliance/snapshot@2'), '$.format'],
    ['a bad capture time', (s: any) => (s.capturedAt = 'yesterday'), '$.capturedAt'],
    ['a differing duplicate', (s: any) => s.targets[0].ec2.Volumes.push({ ...s.targets[0].ec2.Volumes[0], Size: 1 }), `$.targets[0].ec2.Volumes[`],
  ])('%s', (_name, mutate, jsonPath) => {
    const snapshot = sample();
    mutate(snapshot);
    const text = JSON.stringify(snapshot);
    const whole = errorOf(() => parseSnapshot(text, 'bad.json'));
    const streamed = errorOf(() => stream(text, [], 'bad.json'));
    expect(streamed.jsonPath.startsWith(jsonPath)).toBe(true);
    expect(streamed.message).toBe(whole.message);
  });

  it('rejects a document that is not an object as parseSnapshot does', () => {
    expect(errorOf(() => stream('[1,2]')).message).toBe(errorOf(() => parseSnapshot('[1,2]', 'estate.json')).message);
  });

  it.each([
    ['a truncated document', (t: string) => t.slice(0, t.length - 40), 'ends before it is complete'],
    ['text after the document', (t: string) => `${t} {}`, 'expected the end of the document'],
    ['a missing comma between records', (t: string) => t.replace('},{"VolumeId"', '} {"VolumeId"'), "expected ',' or ']'"],
    ['a broken record', (t: string) => t.replace('"VolumeType":"gp3"', '"VolumeType":gp3'), 'not valid JSON'],
    ['a missing colon', (t: string) => t.replace('"capturedAt":', '"capturedAt" '), "expected ':'"],
    ['an empty file', () => '', 'ends before it is complete'],
  ])('malformed JSON: %s', (_name, damage, problem) => {
    const error = errorOf(() => stream(damage(JSON.stringify(JSON.parse(SAMPLE)))));
    expect(error.message).toContain('estate.json: invalid snapshot at $');
    expect(error.message).toContain(problem);
  });

  it('names the record whose JSON is broken', () => {
    const text = JSON.stringify(JSON.parse(SAMPLE)).replace('"VolumeType":"gp3"', '"VolumeType":gp3');
    expect(errorOf(() => stream(text)).jsonPath).toMatch(/^\$\.targets\[0\]\.ec2\.Volumes\[\d+\]$/);
  });

  it('rejects a second targets list (a stream cannot take back the first)', () => {
    const { format, capturedAt, targets } = JSON.parse(SAMPLE);
    const text = `{"format":${JSON.stringify(format)},"capturedAt":${JSON.stringify(capturedAt)},"targets":${JSON.stringify(targets)},"targets":[]}`;
    expect(errorOf(() => stream(text)).message).toContain('"targets" appears twice');
  });
});
