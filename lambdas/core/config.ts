/** Scan configuration: tag conventions and per-environment port expectations. Pure data. */
import { z } from 'zod';
import { ConfigSuppressionSchema } from './suppressions/suppression-schema';

export const TagConventionsSchema = z.strictObject({
  /** Tag key whose value says what a server is. */
  roleKey: z.string().min(1).default('Role'),
  /** Role value of a Redis server (and of a subnet reserved for Redis). */
  redisRole: z.string().min(1).default('redis'),
  /** Role value of an OutSystems front-end server. */
  frontendRole: z.string().min(1).default('outsystems-frontend'),
  environmentKey: z.string().min(1).default('Environment'),
  /** Environment values (compared case-insensitively) that mean production. */
  productionValues: z.array(z.string().min(1)).min(1).default(['production', 'prod', 'prd', 'live']),
  /** Optional tag grouping Redis servers into a cluster; without it the cluster is the environment. */
  clusterKey: z.string().min(1).default('RedisCluster'),
  /** Optional tag stating how Redis runs: `cluster`, `sentinel` or `standalone`. */
  clusterModeKey: z.string().min(1).default('RedisMode'),
});

export const ConfigSchema = z.strictObject({
  tags: TagConventionsSchema.default(TagConventionsSchema.parse({})),
  /** TCP ports of the Redis servers that front-ends must reach. */
  redisPorts: z.array(z.number().int().min(1).max(65535)).min(1).default([7000, 7001]),
  /** Waivers kept in the config file (applied with those managed through the API). */
  suppressions: z.array(ConfigSuppressionSchema).optional(),
});

export type TagConventions = z.infer<typeof TagConventionsSchema>;
export type ScanConfig = z.infer<typeof ConfigSchema>;
export type ScanConfigInput = z.input<typeof ConfigSchema>;

export const DEFAULT_CONFIG: ScanConfig = ConfigSchema.parse({});

export function isProductionValue(value: string, tags: TagConventions): boolean {
  const v = value.trim().toLowerCase();
  return tags.productionValues.some((p) => p.toLowerCase() === v);
}
