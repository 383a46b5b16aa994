/**
 * The streamed evaluation hands each rule's findings for a target to its consumer and keeps none:
 * the chunks together are evaluateSnapshot's findings, the summary counted as they passed is
 * evaluateSnapshot's summary (key order included), and no chunk comes before the previous one was
 * consumed.
 */
import { readFileSync } from 'node:fs';
import { syntheticSnapshot } from '../../../bench/synthetic-estate';
import { evaluateSnapshot, evaluateSnapshotStreamed, evaluateTargetFeedStreamed } from '../../../lambdas/core/evaluate';
import type { Finding } from '../../../lambdas/core/model';
import { parseSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import type { Snapshot } from '../../../lambdas/core/snapshot/schema';
import { sortFindings } from '../../../lambdas/core/sort-findings';

const NOW = () => new Date('2026-11-25T03:00:00.000Z');
const sample = parseSnapshot(readFileSync('examples/estate.sample.json', 'utf8'), 'examples/estate.sample.json');

/** Streams `snapshot`, recording each chunk's size and whether one arrived while the previous was still being consumed. */
async function streamed(snapshot: Snapshot) {
  const chunks: number[] = [];
  const all: Finding[] = [];
  let consuming = false;
  let overlapped = false;
  const result = await evaluateSnapshotStreamed(snapshot, { now: NOW }, async (findings) => {
    if (consuming) overlapped = true;
    consuming = true;
    chunks.push(findings.length);
    all.push(...findings);
    // A consumer that waits (a store write): the evaluation must wait for it.
    await new Promise((resolve) => setImmediate(resolve));
    consuming = false;
  });
  return { result, chunks, all, overlapped };
}

describe.each([
  ['the sample estate', () => sample],
  ['a synthetic estate of 300 Redis servers in one target', () => syntheticSnapshot(300)],
])('evaluateSnapshotStreamed on %s', (_name, snapshotOf) => {
  it('hands out exactly evaluateSnapshot findings, and counts the same summary, key order included', async () => {
    const snapshot = snapshotOf();
    const whole = evaluateSnapshot(snapshot, { now: NOW });
    const { result, all } = await streamed(snapshot);
    sortFindings(all);
    expect(JSON.stringify(all)).toBe(JSON.stringify(whole.findings));
    expect(JSON.stringify(result.summary)).toBe(JSON.stringify(whole.summary));
    expect(JSON.stringify(result.scan)).toBe(JSON.stringify(whole.scan));
  });

  it('hands the findings out in pieces finer than a target, one at a time', async () => {
    const snapshot = snapshotOf();
    const { chunks, all, overlapped } = await streamed(snapshot);
    expect(chunks.length).toBeGreaterThan(snapshot.targets.length);
    // No chunk holds a whole target's findings: at most one rule's.
    const perTarget = all.length / snapshot.targets.length;
    expect(Math.max(...chunks)).toBeLessThan(perTarget);
    expect(overlapped).toBe(false);
  });
});

describe('evaluateTargetFeedStreamed', () => {
  it('evaluates the targets of a feed that does not wait in order, and the summary is evaluateSnapshot', async () => {
    const whole = evaluateSnapshot(sample, { now: NOW });
    const all: Finding[] = [];
    const result = await evaluateTargetFeedStreamed({ now: NOW }, async (onTarget) => {
      for (const target of sample.targets) void onTarget(target);
      return { capturedAt: sample.capturedAt };
    }, async (findings) => {
      await new Promise((resolve) => setImmediate(resolve));
      all.push(...findings);
    });
    sortFindings(all);
    expect(JSON.stringify(all)).toBe(JSON.stringify(whole.findings));
    expect(JSON.stringify(result)).toBe(JSON.stringify({ scan: whole.scan, summary: whole.summary }));
  });

  it('lets a feed that waits hand on the next target only once the previous one is consumed', async () => {
    const events: string[] = [];
    await evaluateTargetFeedStreamed({ now: NOW }, async (onTarget) => {
      for (const [i, target] of sample.targets.entries()) {
        events.push(`target ${i}`);
        await onTarget(target);
      }
      return { capturedAt: sample.capturedAt };
    }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      events.push('consumed');
    });
    expect(sample.targets.length).toBeGreaterThan(1);
    // Each target's chunks are consumed before the next target is handed on.
    const targetsAt = events.flatMap((e, i) => (e.startsWith('target') ? [i] : []));
    for (let t = 1; t < targetsAt.length; t++) expect(events.slice(targetsAt[t - 1]! + 1, targetsAt[t]!)).toContain('consumed');
  });

  it('rejects with a failed feed only once the targets it handed on are consumed', async () => {
    const events: string[] = [];
    await evaluateTargetFeedStreamed({ now: NOW }, async (onTarget) => {
      void onTarget(sample.targets[0]!);
      throw new Error('the file ends in the middle of a target');
    }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      events.push('consumed');
    }).catch((error: Error) => events.push(error.message));
    expect(events.length).toBeGreaterThan(1);
    expect(events.at(-1)).toBe('the file ends in the middle of a target');
  });

  it('rejects with the consumer error and evaluates nothing after it', async () => {
    let calls = 0;
    await expect(
      evaluateTargetFeedStreamed({ now: NOW }, async (onTarget) => {
        for (const target of sample.targets) void onTarget(target);
        return { capturedAt: sample.capturedAt };
      }, () => {
        calls++;
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    expect(calls).toBe(1);
  });
});
