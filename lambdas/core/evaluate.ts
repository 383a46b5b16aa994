/** Evaluates a snapshot against every rule: data in, findings out. Pure. */
import { DEFAULT_CONFIG, type ScanConfig } from './config';
import { buildEstate } from './estate/build-estate';
import type { Finding, NotEvaluatedInstance, ScanResult } from './model';
import { RULES } from './rules';
import type { RuleDefinition } from './rules/rule';
import type { Snapshot } from './snapshot/schema';
import { summarise } from './summarise';
import { sortFindings } from './sort-findings';

export interface EvaluateOptions {
  config?: ScanConfig;
  /** The evaluation time; injectable for reproducible output. */
  now?: () => Date;
  rules?: readonly RuleDefinition[];
  /** False turns every shared-verdict cache off (same findings, slower); for the property tests. Default true. */
  shareVerdicts?: boolean;
}

export function evaluateSnapshot(snapshot: Snapshot, options: EvaluateOptions = {}): ScanResult {
  const config = options.config ?? DEFAULT_CONFIG;
  const rules = options.rules ?? RULES;
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluatedInstance[] = [];
  let redisServers = 0;
  let frontends = 0;
  let clusters = 0;
  for (const snapshotTarget of snapshot.targets) {
    const built = buildEstate(snapshotTarget, config, { shareVerdicts: options.shareVerdicts ?? true });
    notEvaluated.push(...built.notEvaluated);
    redisServers += built.target.redisServers.length;
    frontends += built.target.frontends.length;
    clusters += built.target.clusters.length;
    for (const rule of rules) {
      for (const finding of rule.evaluate(built.target)) findings.push(finding);
    }
  }
  sortFindings(findings);
  const targets = snapshot.targets.map((t) => ({ accountId: t.accountId, region: t.region, errors: t.errors.map(({ service, operation, code, message }) => ({ service, operation, code, message })) }));
  const partial = targets.some((t) => t.errors.length > 0);
  return {
    scan: {
      capturedAt: snapshot.capturedAt,
      evaluatedAt: (options.now ?? (() => new Date()))().toISOString(),
      status: partial ? 'PARTIAL' : 'COMPLETE',
      targets,
      notEvaluated,
    },
    summary: summarise(findings, { redisServers, frontends, clusters, notEvaluated: notEvaluated.length, apiCalls: sumApiCalls(snapshot) }),
    findings,
  };
}

function sumApiCalls(snapshot: Snapshot): Record<string, number> {
  const total: Record<string, number> = {};
  for (const target of snapshot.targets) {
    for (const [operation, count] of Object.entries(target.apiCalls ?? {})) total[operation] = (total[operation] ?? 0) + count;
  }
  return total;
}
