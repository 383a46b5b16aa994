/** Scan configuration: tag conventions and per-environment port expectations. Pure data. */
import * as z from 'zod/mini';
import './zod-messages';
import { groupKey } from './estate/group-key';
import { ConfigSuppressionSchema } from './suppressions/suppression-schema';
import { WaiverPolicySchema } from './suppressions/waiver-policy';

export const TagConventionsSchema = z.strictObject({
  /** Tag key whose value says what a server is. */
  roleKey: z._default(z.string().check(z.minLength(1)), 'Role'),
  /** Role value of a Redis server (and of a subnet reserved for Redis). */
  redisRole: z._default(z.string().check(z.minLength(1)), 'redis'),
  /** Role value of an OutSystems front-end server. */
  frontendRole: z._default(z.string().check(z.minLength(1)), 'outsystems-frontend'),
  environmentKey: z._default(z.string().check(z.minLength(1)), 'Environment'),
  /** Environment values (compared case-insensitively) that mean production. */
  productionValues: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), ['production', 'prod', 'prd', 'live']),
  /** Optional tag grouping Redis servers into a cluster; without it the cluster is the environment. */
  clusterKey: z._default(z.string().check(z.minLength(1)), 'RedisCluster'),
  /** Optional tag stating how Redis runs: `cluster`, `sentinel` or `standalone`. */
  clusterModeKey: z._default(z.string().check(z.minLength(1)), 'RedisMode'),
});

/**
 * The session workload the vendor's bandwidth footnote assumes (20 KB sessions at 10,000 requests a
 * second); given here, capacity.bandwidth also checks the footnote's own formula for it.
 */
export const WorkloadSchema = z.strictObject({
  /** Average OutSystems session size in KB (the footnote assumes 20). */
  sessionSizeKB: z.number().check(z.positive()),
  /** Peak front-end requests per second (the footnote assumes 10,000). */
  peakRequestsPerSecond: z.number().check(z.positive()),
});

/** Thresholds of the capacity rules (fractions of what the server has). */
export const CapacityThresholdsSchema = z.strictObject({
  /** capacity.memory: used_memory above this fraction of maxmemory fails (default 0.8). */
  memoryUsedFraction: z._default(z.number().check(z.gt(0), z.lte(1)), 0.8),
  /** capacity.bandwidth: a peak above this fraction of the baseline bandwidth fails (default 0.8). */
  bandwidthFraction: z._default(z.number().check(z.gt(0), z.lte(1)), 0.8),
});

export const ConfigSchema = z.strictObject({
  tags: z._default(TagConventionsSchema, TagConventionsSchema.parse({})),
  /** TCP ports of the Redis servers that front-ends must reach. */
  redisPorts: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(65535))).check(z.minLength(1)), [7000, 7001]),
  /** Waivers kept in the config file (applied with those managed through the API). */
  suppressions: z.optional(z.array(ConfigSuppressionSchema)),
  /** Guard rails on every waiver, from the config file or the API (suppressions/waiver-policy.ts). */
  waiverPolicy: z._default(WaiverPolicySchema, WaiverPolicySchema.parse({})),
  /** Optional: the session workload, for the bandwidth footnote's formula (capacity.bandwidth). */
  workload: z.optional(WorkloadSchema),
  capacity: z._default(CapacityThresholdsSchema, CapacityThresholdsSchema.parse({})),
});

export type TagConventions = z.infer<typeof TagConventionsSchema>;
export type ScanConfig = z.infer<typeof ConfigSchema>;
export type ScanConfigInput = z.input<typeof ConfigSchema>;
export type Workload = z.infer<typeof WorkloadSchema>;

export const DEFAULT_CONFIG: ScanConfig = ConfigSchema.parse({});

export function isProductionValue(value: string, tags: TagConventions): boolean {
  const v = groupKey(value);
  return tags.productionValues.some((p) => groupKey(p) === v);
}
