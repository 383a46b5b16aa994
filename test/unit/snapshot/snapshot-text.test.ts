/** snapshotTextPieces writes exactly what JSON.stringify(snapshot, null, 2) writes, one record at a time. */
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../../../lambdas/core/snapshot/schema';
import { snapshotTextPieces } from '../../../lambdas/core/snapshot/snapshot-text';
import { estateSeedArbitrary, generateSnapshot } from '../../support/estate-generator';

const whole = (snapshot: Snapshot): string => `${JSON.stringify(snapshot, null, 2)}\n`;
const pieces = (snapshot: Snapshot): string[] => [...snapshotTextPieces(snapshot)];

it('writes the sample estate as JSON.stringify does, in many pieces', () => {
  const sample = JSON.parse(readFileSync(path.join(__dirname, '../../../examples/estate.sample.json'), 'utf8')) as Snapshot;
  const out = pieces(sample);
  expect(out.join('')).toBe(whole(sample));
  const records = sample.targets.reduce((n, t) => n + t.ec2.Reservations.length + t.ec2.Volumes.length + t.ssm.Entities.length, 0);
  expect(out.length).toBeGreaterThan(records);
});

it('writes generated estates as JSON.stringify does', () => {
  fc.assert(
    fc.property(estateSeedArbitrary(5), ({ seed, size }) => {
      const snapshot = generateSnapshot(seed, size);
      expect(pieces(snapshot).join('')).toBe(whole(snapshot));
    }),
    { numRuns: 25 },
  );
});

it('leaves out undefined members, writes undefined list items as null, keeps empty containers and odd keys', () => {
  const odd = { format: 'x', capturedAt: 'y', targets: [{ a: undefined, b: [undefined, 1, {}], c: [], 'k "\n': { d: new Date(0), e: 'line\nbreak' } }] } as unknown as Snapshot;
  expect(pieces(odd).join('')).toBe(whole(odd));
});
