/**
 * Figure 8: cold init of each bundled handler: a fresh Node.js process imports the bundle (module
 * scope: middy chain, logger) and constructs its clients (the exported lazy dependencies); the
 * median of 10 processes. Dummy AWS settings keep module init from failing; nothing goes on the
 * network (clients are only constructed).
 */
import type { BundledHandler } from '../bundle-handlers';
import { runNode } from '../child-process';
import { errorMessage, formatMs, median, notMeasured, type BenchOptions, type FigureRow } from '../figure';
import * as path from 'node:path';

const TARGET_MS = 150;

interface ColdInitRun {
  bootstrapMs: number;
  importMs: number;
  constructMs: number;
  readyMs: number;
  lazyDependencies: number;
}

/** What the CDK stack sets, with dummy values (no credentials of any real account). */
export const DUMMY_LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHDUMMY000000',
  AWS_SECRET_ACCESS_KEY: 'bench-dummy-secret',
  AWS_SESSION_TOKEN: 'bench-dummy-token',
  AWS_LAMBDA_FUNCTION_NAME: 'redis-compliance-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EC2_METADATA_DISABLED: 'true',
  TABLE_NAME: 'redis-compliance-bench',
  EVENT_BUS_NAME: 'redis-compliance-bench',
  TARGET_REGIONS: 'eu-west-1',
  TARGET_SOURCE: 'live',
  SCAN_FUNCTION_NAME: 'redis-compliance-scan',
  SLACK_WEBHOOK_SECRET_ID: 'redis-compliance/slack-webhook',
  EMAIL_FROM: 'redis-compliance@example.com',
  EMAIL_TO: 'platform-team@example.com',
  REPORT_URL: 'https://reports.example.com/latest.html',
  RETENTION_DAYS: '90',
  POWERTOOLS_SERVICE_NAME: 'redis-compliance',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  NODE_OPTIONS: '',
};

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  return { ...env, ...DUMMY_LAMBDA_ENV };
}

export async function coldInitRows(options: BenchOptions, bundles: Map<string, BundledHandler | Error>): Promise<FigureRow[]> {
  const rows: FigureRow[] = [];
  const processes = options.smoke ? 3 : 10;
  for (const [name, bundle] of bundles) {
    const label = `8. cold init of ${name} (median of ${processes} fresh processes)`;
    const target = `<= ${TARGET_MS} ms`;
    if (bundle instanceof Error) {
      if (name.startsWith('fanout') && /does not exist/.test(bundle.message)) continue;
      rows.push(notMeasured(label, target, `no bundle: ${errorMessage(bundle)}`));
      continue;
    }
    try {
      const runs: ColdInitRun[] = [];
      for (let i = 0; i < processes; i++) {
        const { value } = await runNode<ColdInitRun>([path.join(__dirname, '..', 'measure-cold-init.mjs'), bundle.file], { env: childEnv(), timeoutMs: 60_000 });
        runs.push(value);
      }
      const ready = median(runs.map((r) => r.readyMs));
      rows.push({
        figure: label,
        measured: `${formatMs(ready)} from process start (Node bootstrap ${formatMs(median(runs.map((r) => r.bootstrapMs)))}, import ${formatMs(median(runs.map((r) => r.importMs)))}, clients ${formatMs(median(runs.map((r) => r.constructMs)))}; ${runs[0]!.lazyDependencies} lazy dependency set(s) built)`,
        target,
        met: ready <= TARGET_MS,
        data: { runs },
      });
    } catch (error) {
      rows.push(notMeasured(label, target, errorMessage(error)));
    }
  }
  return rows;
}
