/** Reads and checks the Lambda environment: a missing or malformed variable is named in the error. */
import { ConfigSchema, DEFAULT_CONFIG, type ScanConfig } from '../../core/config';

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new EnvironmentError(`environment variable ${name} is required`);
  return value;
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A comma-separated list; empty entries dropped. */
export function listEnv(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return (optionalEnv(name, env) ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

export function positiveNumberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new EnvironmentError(`environment variable ${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** SCAN_CONFIG: the redis-compliance.config.json content as JSON text (tags, ports, waivers). */
export function scanConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ScanConfig {
  const raw = optionalEnv('SCAN_CONFIG', env);
  if (raw === undefined) return DEFAULT_CONFIG;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new EnvironmentError(`environment variable SCAN_CONFIG is not valid JSON (${(error as Error).message})`);
  }
  const result = ConfigSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvironmentError(`environment variable SCAN_CONFIG is not a valid config at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
