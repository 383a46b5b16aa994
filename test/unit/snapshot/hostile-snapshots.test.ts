/**
 * Every reader of a snapshot (the stream that `scan --snapshot` uses, parseSnapshot on text, and
 * validateSnapshot on data the Lambda runtime already parsed) says the same of each hostile case in
 * test/fixtures/hostile: the same document read, or the same rejection (source, JSON path, message).
 */
import { parseSnapshot, SnapshotError, validateSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { sameRecord } from '../../../lambdas/core/snapshot/duplicate-records';
import type { Snapshot, SnapshotTarget } from '../../../lambdas/core/snapshot/schema';
import { SnapshotStreamReader } from '../../../lambdas/core/snapshot/snapshot-stream-reader';
import { hostileSnapshots, nestedArrays, SAMPLE_TEXT } from '../../fixtures/hostile/make-hostile-snapshots';

type Outcome = { accepted: true; snapshot: Snapshot } | { accepted: false; message: string; jsonPath: string; problem: string };

function outcomeOf(read: () => Snapshot): Outcome {
  try {
    return { accepted: true, snapshot: read() };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    return { accepted: false, message: error.message, jsonPath: error.jsonPath, problem: error.problem };
  }
}

/** The stream reader fed `text` in chunks of `chunkBytes`. */
function streamed(text: string, chunkBytes: number): Snapshot {
  const bytes = Buffer.from(text, 'utf8');
  const targets: SnapshotTarget[] = [];
  const reader = new SnapshotStreamReader('estate.json', (target) => targets.push(target));
  for (let at = 0; at < bytes.length; at += chunkBytes) reader.push(bytes.subarray(at, at + chunkBytes));
  return { ...reader.end(), targets };
}

describe.each(hostileSnapshots().map((c) => [c.name, c] as const))('%s', (_name, hostile) => {
  it('gets the same answer from every reader, the expected one', () => {
    const whole = outcomeOf(() => parseSnapshot(hostile.text, 'estate.json'));
    for (const chunkBytes of [1 << 20, 4093, 97]) expect(outcomeOf(() => streamed(hostile.text, chunkBytes))).toEqual(whole);
    if (hostile.parsedFormExists) expect(outcomeOf(() => validateSnapshot(JSON.parse(hostile.text), 'estate.json'))).toEqual(whole);
    if (hostile.expected.accepted) {
      expect(whole.accepted).toBe(true);
    } else {
      expect(whole).toMatchObject({ accepted: false, jsonPath: hostile.expected.jsonPath });
      if (whole.accepted) return;
      expect(whole.problem).toMatch(hostile.expected.problem);
      expect(whole.message).toContain(`estate.json: invalid snapshot at ${hostile.expected.jsonPath}`);
    }
  });
});

it('reads a snapshot with a byte-order mark as the one without', () => {
  expect(parseSnapshot(`\uFEFF${SAMPLE_TEXT}`, 'estate.json')).toEqual(parseSnapshot(SAMPLE_TEXT, 'estate.json'));
});

it('compares records nested far deeper than the call stack allows, without recursion', () => {
  expect(sameRecord({ a: nestedArrays(200_000, 1) }, { a: nestedArrays(200_000, 1) })).toBe(true);
  expect(sameRecord({ a: nestedArrays(200_000, 1) }, { a: nestedArrays(200_000, 2) })).toBe(false);
});

it('rejects a snapshot the scan Lambda received already parsed, nested 3,000 levels in a duplicated record, with the path', () => {
  const data = JSON.parse(SAMPLE_TEXT);
  const reservation = data.targets[0].ec2.Reservations[0];
  reservation.Instances.push({ ...reservation.Instances[0], Deep: nestedArrays(3000) });
  expect(() => validateSnapshot(data, 'the snapshot in the scan request')).toThrow(/the snapshot in the scan request: invalid snapshot at \$\.targets\[0\]\.ec2\.Reservations\[0\]\.Instances\[1\]\.Deep(\[0\])+: nested deeper than 64 levels/);
});
