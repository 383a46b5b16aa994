/**
 * Runs inventory/redis-probe.sh for real (sh, with the environment overrides it documents), checks
 * every file it writes against the SSM agent's custom inventory rules, and turns the files into an
 * AWS-shaped snapshot for the rules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import type { Finding } from '../../../lambdas/core/model';
import { clusterModeRule } from '../../../lambdas/core/rules/cluster-mode';
import { redisVersionRule } from '../../../lambdas/core/rules/redis-version';
import { validateSnapshot } from '../../../lambdas/core/snapshot/parse-snapshot';
import { REDIS_PROBE_SCRIPT_PATH } from '../../../lib/constructs/redis-probe-script';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';

export const INSTANCE_ID = 'i-0123456789abcdef0';

export interface InventoryFile {
  TypeName: string;
  SchemaVersion: string;
  CaptureTime: string;
  Content: Array<Record<string, string>>;
}

export interface ProbeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  server: InventoryFile;
  nodes: InventoryFile;
  users: InventoryFile;
}

/** Runs the probe; `env` adds to a minimal environment (PATH only, as the agent's shell has). */
export function runProbe(env: Record<string, string>, options: { script?: string; cwd?: string } = {}): ProbeRun {
  const dir = env['CUSTOM_INVENTORY_DIR'] ?? mkdtempSync(join(tmpdir(), 'redis-probe-out-'));
  const result = spawnSync('sh', [options.script ?? REDIS_PROBE_SCRIPT_PATH], {
    encoding: 'utf8',
    timeout: 60000,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AWS_SSM_INSTANCE_ID: INSTANCE_ID, CUSTOM_INVENTORY_DIR: dir, ...env },
  });
  if (result.status !== 0) throw new Error(`probe exited ${result.status}: ${result.stderr}${result.stdout}`);
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as InventoryFile;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir, server: read('RedisServer.json'), nodes: read('RedisClusterNode.json'), users: read('RedisAclUser.json') };
}

/**
 * The custom inventory rules the agent applies to each file before upload (amazon-ssm-agent,
 * agent/plugins/inventory/gatherers/custom/customGatherer.go): problems found, none when valid.
 */
export function customInventoryProblems(file: unknown): string[] {
  const problems: string[] = [];
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return ['not a JSON object'];
  const item = file as Record<string, unknown>;
  const type = item['TypeName'];
  if (typeof type !== 'string' || !type.startsWith('Custom:') || type.length >= 100) problems.push(`TypeName ${JSON.stringify(type)} is not Custom: and under 100 characters`);
  if (typeof item['SchemaVersion'] !== 'string' || !/^\d{1,6}\.\d{1,6}$/.test(item['SchemaVersion'])) problems.push(`SchemaVersion ${JSON.stringify(item['SchemaVersion'])}`);
  const content = item['Content'];
  if (!Array.isArray(content)) return [...problems, 'Content is not a list'];
  content.forEach((row: unknown, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return void problems.push(`row ${i} is not an object`);
    const entries = Object.entries(row as Record<string, unknown>);
    if (entries.length > 50) problems.push(`row ${i} has ${entries.length} attributes`);
    for (const [key, value] of entries) {
      if (key.length > 64) problems.push(`row ${i} attribute name ${key} is too long`);
      if (typeof value !== 'string') problems.push(`row ${i} ${key} is not a string`);
      else if (value.length > 4096) problems.push(`row ${i} ${key} is longer than 4096`);
    }
  });
  return problems;
}

/** Every file the probe left in its folder: only the three inventory files, each valid. */
export function expectValidOutput(run: ProbeRun): void {
  expect(readdirSync(run.dir).sort()).toEqual(['RedisAclUser.json', 'RedisClusterNode.json', 'RedisServer.json']);
  expect(customInventoryProblems(run.server)).toEqual([]);
  expect(customInventoryProblems(run.nodes)).toEqual([]);
  expect(customInventoryProblems(run.users)).toEqual([]);
  expect(run.server.TypeName).toBe('Custom:RedisServer');
  expect(run.nodes.TypeName).toBe('Custom:RedisClusterNode');
  expect(run.users.TypeName).toBe('Custom:RedisAclUser');
  expect(existsSync(join(run.dir, `.RedisServer.json.tmp`))).toBe(false);
}

/**
 * The compliant estate (three production Redis servers, SSM inventory with the redis-server
 * package) with each server's Custom:RedisServer / Custom:RedisClusterNode replaced by a probe run:
 * run i for server i, or one run for all three. Goes through the snapshot validator and the whole
 * evaluation, and returns the findings of redis.version (per server) and cluster.mode.
 */
export function verdicts(runs: readonly ProbeRun[]): { version: Finding[]; mode: Finding } {
  const estate = compliantEstate().mutate((t) => {
    REDIS_IDS.forEach((id, i) => {
      const run = runs[runs.length === 1 ? 0 : i]!;
      const data = t.ssm.Entities.find((e) => e.Id === id)!.Data!;
      data['Custom:RedisServer'] = { ...run.server };
      data['Custom:RedisClusterNode'] = { ...run.nodes };
    });
  });
  const snapshot = validateSnapshot(JSON.parse(JSON.stringify(estate.snapshot())), 'probe test');
  const { findings } = evaluateSnapshot(snapshot, { rules: [redisVersionRule, clusterModeRule] });
  const mode = findings.filter((f) => f.ruleId === 'cluster.mode');
  if (mode.length !== 1) throw new Error(`expected one cluster.mode finding, got ${mode.length}`);
  return { version: findings.filter((f) => f.ruleId === 'redis.version'), mode: mode[0]! };
}
