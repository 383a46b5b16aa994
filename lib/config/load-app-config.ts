/**
 * Reads the app configuration from CDK context and validates it. An invalid configuration stops
 * the synth with one line per problem, naming the field: `targets.regions.0: an AWS region name ...`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node } from 'constructs';
import { z } from 'zod';
import { AppConfigSchema, type AppConfig } from './app-config-schema';

export const CONFIG_CONTEXT_KEY = 'redisCompliance';
export const CONFIG_FILE_CONTEXT_KEY = 'redisComplianceConfigFile';

export class AppConfigError extends Error {
  constructor(source: string, readonly problems: string[]) {
    super(`Invalid redis-compliance configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppConfigError';
  }
}

/** Validates a raw configuration object; throws AppConfigError listing every problem. */
export function parseAppConfig(raw: unknown, source = 'configuration'): AppConfig {
  const result = AppConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new AppConfigError(source, result.error.issues.map(describeIssue));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field(s) ${issue.keys.join(', ')}`;
  return `${path}: ${issue.message}`;
}

/**
 * Context `redisCompliance` (an object, usually in cdk.json), with the JSON file named by context
 * `redisComplianceConfigFile` (path relative to the working directory) merged over it, top-level
 * key by key. A context value given on the command line as a JSON string is parsed.
 */
export function loadAppConfig(node: Node): AppConfig {
  const fromContext = asObject(node.tryGetContext(CONFIG_CONTEXT_KEY), `context ${CONFIG_CONTEXT_KEY}`);
  const file = node.tryGetContext(CONFIG_FILE_CONTEXT_KEY) as unknown;
  if (file === undefined || file === null || file === '') return parseAppConfig(fromContext, `context ${CONFIG_CONTEXT_KEY}`);
  if (typeof file !== 'string') throw new AppConfigError(`context ${CONFIG_FILE_CONTEXT_KEY}`, ['must be a file path']);
  const path = resolve(file);
  let fromFile: unknown;
  try {
    fromFile = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppConfigError(path, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  return parseAppConfig({ ...fromContext, ...asObject(fromFile, path) }, `${path} over context ${CONFIG_CONTEXT_KEY}`);
}

function asObject(value: unknown, source: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const parsed = typeof value === 'string' ? safeJson(value, source) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppConfigError(source, ['must be a JSON object']);
  }
  return parsed as Record<string, unknown>;
}

function safeJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppConfigError(source, [`is not valid JSON: ${(error as Error).message}`]);
  }
}
