/**
 * The monthly AWS cost of running the scanner, from the resources the CDK app creates (counted in
 * its synthesized templates) and the usage an estate of a given size causes, at public on-demand
 * prices. `npx tsx scripts/estimate-cost.ts` prints the tables of docs/cost.md;
 * test/infra/cost-doc.test.ts checks that the doc holds exactly what this computes.
 */

/** Public on-demand prices, US East (N. Virginia), USD; from each service's pricing page. */
export const PRICES = {
  /** https://aws.amazon.com/lambda/pricing/ (x86). */
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  /** https://aws.amazon.com/step-functions/pricing/ (Standard workflows). */
  stateTransition: 0.025 / 1000,
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ (Standard table class). */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoGbMonth: 0.25,
  /** https://aws.amazon.com/kms/pricing/ */
  kmsKeyMonth: 1,
  kmsRequest: 0.03 / 10_000,
  /** https://aws.amazon.com/secrets-manager/pricing/ */
  secretMonth: 0.4,
  /** https://aws.amazon.com/api-gateway/pricing/ (REST APIs, first 333 million). */
  apiRequest: 3.5 / 1e6,
  /** https://aws.amazon.com/cloudwatch/pricing/ */
  logsGbIngested: 0.5,
  logsGbMonth: 0.03,
  alarmMonth: 0.1,
  metricsRequested: 0.01 / 1000,
} as const;

/** What the synthesized templates hold. */
export interface DeployedResources {
  /** Memory (MB) of each Lambda function, by its logical id prefix (Scan, Report, Api, FanOut...). */
  functionMemoryMb: Record<string, number>;
  kmsKeys: number;
  secrets: number;
  alarms: number;
}

export interface Estate {
  name: string;
  redisServers: number;
  frontends: number;
  /** Account x region targets. */
  targets: number;
}

/** The usage assumptions, written once: docs/cost.md prints them. */
export const ASSUMPTIONS = {
  scansPerMonth: 30,
  /** Findings per Redis server (the synthetic estate gives 14.6; front-ends add about 1 each). */
  findingsPerRedisServer: 15,
  /** Each finding is stored once with its state record: 2 KB in all, 2 write units each (1 KB per unit). */
  writeUnitsPerFinding: 4,
  /** The report reads this scan's findings and the previous scan's (changes), eventually consistent: 0.5 unit per 4 KB. */
  readUnitsPerFinding: 1,
  findingBytesStored: 2048,
  retentionDays: 90,
  /** AWS calls of a capture per Redis server (docs/collectors.md's budget: ~1.07 at 1,000 servers). */
  callsPerRedisServer: 1.1,
  /** Seconds per call at the default 5 calls in flight per target (50 ms a call). */
  secondsPerCall: 0.05 / 5,
  /** Evaluation, storing and announcing: seconds per 1,000 findings in the merge / scan function. */
  mergeSecondsPer1000Findings: 0.5,
  reportSeconds: 3,
  /** State transitions of one fan-out execution: fixed ones plus per target (Map iteration). */
  transitionsFixed: 8,
  transitionsPerTarget: 3,
  apiRequestsPerMonth: 1000,
  apiSecondsPerRequest: 0.3,
  /** Log bytes written per scan: per target and per 1,000 findings. */
  logBytesPerTarget: 20_000,
  logBytesPer1000Findings: 5_000,
  /** KMS requests (data keys are cached by the SDKs and services): per scan, plus a fixed monthly share. */
  kmsRequestsPerScan: 200,
  /** CloudWatch metrics requested per Redis server per scan (NetworkIn, NetworkOut). */
  metricsPerRedisServer: 2,
} as const;

export interface CostLine {
  service: string;
  usd: number;
}

/** Monthly cost by service for one estate. */
export function monthlyCost(resources: DeployedResources, estate: Estate): CostLine[] {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const scans = a.scansPerMonth;
  const findings = estate.redisServers * a.findingsPerRedisServer + estate.frontends;
  const memoryGb = (prefix: string) => (resources.functionMemoryMb[prefix] ?? 0) / 1024;
  const fanOut = estate.targets > 1;
  // Capture: one worker per target (fan-out) or the scan function for a single target.
  const captureSeconds = estate.redisServers * a.callsPerRedisServer * a.secondsPerCall + 5 * estate.targets;
  const mergeSeconds = (findings / 1000) * a.mergeSecondsPer1000Findings + 2;
  const lambdaGbSeconds =
    scans *
      (fanOut
        ? captureSeconds * memoryGb('FanOutScanTarget') + mergeSeconds * memoryGb('FanOutMerge') + 1 * memoryGb('FanOutListTargets')
        : (captureSeconds + mergeSeconds) * memoryGb('Scan')) +
    scans * a.reportSeconds * memoryGb('Report') +
    a.apiRequestsPerMonth * a.apiSecondsPerRequest * memoryGb('Api');
  const lambdaRequests = scans * (fanOut ? estate.targets + 2 : 1) + scans + a.apiRequestsPerMonth;
  const storedGb = (findings * a.findingBytesStored * Math.min(a.retentionDays, scans * (a.retentionDays / 30))) / 2 ** 30;
  const logGb = (scans * (estate.targets * a.logBytesPerTarget + (findings / 1000) * a.logBytesPer1000Findings)) / 2 ** 30;
  return [
    { service: 'Lambda', usd: lambdaGbSeconds * p.lambdaGbSecond + lambdaRequests * p.lambdaRequest },
    { service: 'Step Functions', usd: fanOut ? scans * (a.transitionsFixed + a.transitionsPerTarget * estate.targets) * p.stateTransition : 0 },
    { service: 'DynamoDB', usd: scans * findings * (a.writeUnitsPerFinding * p.dynamoWriteUnit + a.readUnitsPerFinding * p.dynamoReadUnit) + storedGb * p.dynamoGbMonth },
    { service: 'KMS', usd: resources.kmsKeys * p.kmsKeyMonth + scans * a.kmsRequestsPerScan * p.kmsRequest },
    { service: 'Secrets Manager', usd: resources.secrets * p.secretMonth },
    { service: 'API Gateway', usd: a.apiRequestsPerMonth * p.apiRequest },
    { service: 'CloudWatch (logs, alarms, GetMetricData)', usd: logGb * (p.logsGbIngested + p.logsGbMonth) + resources.alarms * p.alarmMonth + scans * estate.redisServers * a.metricsPerRedisServer * p.metricsRequested },
  ];
}

export const ESTATES: readonly Estate[] = [
  { name: 'Small: 20 Redis servers, 4 front-ends, 1 account x region', redisServers: 20, frontends: 4, targets: 1 },
  { name: 'Large: 10,000 Redis servers, 200 front-ends, 20 accounts x regions', redisServers: 10_000, frontends: 200, targets: 20 },
];

/** Counts what docs/cost.md prices in CloudFormation templates (the app's stacks). */
export function deployedResources(templates: ReadonlyArray<{ Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>): DeployedResources {
  const out: DeployedResources = { functionMemoryMb: {}, kmsKeys: 0, secrets: 0, alarms: 0 };
  for (const template of templates) {
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type === 'AWS::Lambda::Function') {
        const prefix = /^(Scan|Report|Api|FanOutListTargets|FanOutScanTarget|FanOutMerge)Function/.exec(id)?.[1];
        if (prefix !== undefined) out.functionMemoryMb[prefix] = Number(resource.Properties?.MemorySize ?? 128);
      } else if (resource.Type === 'AWS::KMS::Key') out.kmsKeys++;
      else if (resource.Type === 'AWS::SecretsManager::Secret') out.secrets++;
      else if (resource.Type === 'AWS::CloudWatch::Alarm') out.alarms++;
    }
  }
  return out;
}

const usd = (n: number): string => (n < 0.005 ? '< $0.01' : `$${n.toFixed(2)}`);

/** The markdown tables of docs/cost.md, between its generated-section markers. */
export function costTables(resources: DeployedResources): string {
  const lines: string[] = [
    `Resources counted in the synthesized stacks: ${Object.keys(resources.functionMemoryMb).length} Lambda functions (${Object.entries(resources.functionMemoryMb)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(', ')}), ${resources.kmsKeys} KMS key(s), ${resources.secrets} secret(s), ${resources.alarms} CloudWatch alarm(s).`,
    '',
    `| Service | ${ESTATES.map((e) => e.name).join(' | ')} |`,
    `| --- | ${ESTATES.map(() => '---:').join(' | ')} |`,
  ];
  const costs = ESTATES.map((e) => monthlyCost(resources, e));
  costs[0]!.forEach((line, i) => lines.push(`| ${line.service} | ${costs.map((c) => usd(c[i]!.usd)).join(' | ')} |`));
  lines.push(`| **Total per month** | ${costs.map((c) => `**${usd(c.reduce((sum, l) => sum + l.usd, 0))}**`).join(' | ')} |`);
  return lines.join('\n');
}

/** The estate behind docs/deploy.md's capacity table's cost column: per account x region target. */
export const CAPACITY_ESTATE = { redisServersPerTarget: 10, frontendsPerTarget: 2 } as const;

/** Monthly cost (nightly scans) of `targets` account x region targets of CAPACITY_ESTATE's size. */
export function capacityMonthlyCost(resources: DeployedResources, targets: number): string {
  const estate: Estate = { name: `${targets} targets`, redisServers: targets * CAPACITY_ESTATE.redisServersPerTarget, frontends: targets * CAPACITY_ESTATE.frontendsPerTarget, targets };
  return usd(monthlyCost(resources, estate).reduce((sum, line) => sum + line.usd, 0));
}
