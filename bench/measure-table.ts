/**
 * Child process of the table figure: `node --import tsx bench/measure-table.ts <servers>`. Evaluates
 * the synthetic estate with every Redis server's Name, RedisCluster, Owner and CostCenter tags at
 * AWS's 256-character limit, then times the terminal table (`scan`'s default format, FAIL, UNKNOWN
 * and SUPPRESSED findings, as `scan` lists them by default) and the JSON report of the same result (median of 3 each). Prints one JSON line.
 */
import { evaluateSnapshot } from '../lambdas/core/evaluate';
import { waiveScanResult } from '../lambdas/core/suppressions/waive-scan-result';
import type { Snapshot } from '../lambdas/core/snapshot/schema';
import { renderResult } from '../cli/output-formats';
import { syntheticSnapshot } from './synthetic-estate';

const TAG_VALUE_LIMIT = 256;

/** `value` padded to AWS's tag value limit with text that has spaces (wrappable) and one long word. */
function atTagLimit(value: string): string {
  const filler = ` ${'w'.repeat(60)} lorem ipsum dolor sit amet`;
  let out = value;
  while (out.length < TAG_VALUE_LIMIT) out += filler;
  return out.slice(0, TAG_VALUE_LIMIT);
}

export function snapshotWithLongTags(servers: number): Snapshot {
  const snapshot = syntheticSnapshot(servers);
  for (const target of snapshot.targets) {
    for (const reservation of target.ec2.Reservations) {
      for (const instance of reservation.Instances ?? []) {
        for (const tag of instance.Tags ?? []) {
          if (tag.Key === 'Name' || tag.Key === 'RedisCluster' || tag.Key === 'Owner' || tag.Key === 'CostCenter') tag.Value = atTagLimit(tag.Value ?? '');
        }
      }
    }
  }
  return snapshot;
}

function medianMs(run: () => string): { ms: number; chars: number } {
  const samples: number[] = [];
  let chars = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    chars = run().length;
    samples.push(performance.now() - start);
  }
  return { ms: samples.sort((a, b) => a - b)[1]!, chars };
}

const servers = Number(process.argv[2] ?? 1000);
const now = new Date('2026-11-25T03:00:00Z');
const evaluated = evaluateSnapshot(snapshotWithLongTags(servers), { now: () => now });
const result = waiveScanResult(evaluated, [], now, 'bench-table');
const table = medianMs(() => renderResult(result, 'table', { color: false, width: 160, all: false }));
const json = medianMs(() => renderResult(result, 'json', { color: false, width: 160, all: true }));
console.log(JSON.stringify({ servers, findings: result.findings.length, tableMs: table.ms, tableChars: table.chars, jsonMs: json.ms, jsonChars: json.chars }));
