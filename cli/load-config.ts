/** Reads redis-compliance.config.json (or --config FILE) and applies tag flags on top. */
import { configWaiverPolicyProblem } from '../lambdas/core/suppressions/suppression-schema';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigSchema, type ScanConfig, type ScanConfigInput } from '../lambdas/core/config';
import { toJsonPath } from '../lambdas/core/snapshot/parse-snapshot';
import { UsageError } from './usage-error';

export const DEFAULT_CONFIG_FILE = 'redis-compliance.config.json';

export interface TagFlags {
  roleTag?: string;
  redisRole?: string;
  frontendRole?: string;
  environmentTag?: string;
  productionValues?: string;
  clusterTag?: string;
  clusterModeTag?: string;
}

export function loadConfig(file: string | undefined, flags: TagFlags = {}): ScanConfig {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let input: Record<string, unknown> = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UsageError(`${path}: the config must be a JSON object`);
  }
  const tags = { ...((input.tags as Record<string, unknown> | undefined) ?? {}) };
  const override: Array<[keyof TagFlags, string]> = [
    ['roleTag', 'roleKey'],
    ['redisRole', 'redisRole'],
    ['frontendRole', 'frontendRole'],
    ['environmentTag', 'environmentKey'],
    ['clusterTag', 'clusterKey'],
    ['clusterModeTag', 'clusterModeKey'],
  ];
  for (const [flag, key] of override) if (flags[flag] !== undefined) tags[key] = flags[flag];
  if (flags.productionValues !== undefined) tags.productionValues = flags.productionValues.split(',').map((v) => v.trim()).filter(Boolean);
  const result = ConfigSchema.safeParse({ ...input, tags } satisfies ScanConfigInput | Record<string, unknown>);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UsageError(`${path ?? 'command-line flags'}: invalid configuration at ${toJsonPath(issue.path)}: ${issue.message}`);
  }
  const refused = configWaiverPolicyProblem(result.data.suppressions ?? [], result.data.waiverPolicy, new Date());
  if (refused) throw new UsageError(`${path ?? 'command-line flags'}: waiver refused by the waiver policy at ${refused}`);
  return result.data;
}
