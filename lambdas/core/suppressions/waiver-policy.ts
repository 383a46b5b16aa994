/**
 * Guard rails on waivers, set in the config file (`waiverPolicy`). Pure.
 *
 * - Every waiver expires within `maxDays` (default 365) of the moment it is created (API) or the
 *   config is loaded (config file).
 * - A waiver of every rule on every resource (rule `*`, resource pattern only `*`) is refused unless
 *   `allowEveryRuleOnEveryResource` is true.
 * - A critical finding is never suppressed unless `allowCritical` is true: a waiver that matches it
 *   leaves it FAIL (or UNKNOWN), so `--fail-on` and the reports still count it.
 */
import * as z from 'zod/mini';
import '../zod-messages';
import type { Finding, Suppression } from '../model';

export const DEFAULT_MAX_WAIVER_DAYS = 365;

export const WaiverPolicySchema = z.strictObject({
  /** The longest a waiver may last, in days from its creation. */
  maxDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(3650)), DEFAULT_MAX_WAIVER_DAYS),
  /** Whether a waiver may suppress a critical finding. */
  allowCritical: z._default(z.boolean(), false),
  /** Whether a waiver of every rule (`*`) on every resource (`*`) is accepted. */
  allowEveryRuleOnEveryResource: z._default(z.boolean(), false),
});
export type WaiverPolicy = z.infer<typeof WaiverPolicySchema>;

export const DEFAULT_WAIVER_POLICY: WaiverPolicy = WaiverPolicySchema.parse({});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a waiver names every rule on every resource. */
export function waivesEverything(waiver: Pick<Suppression, 'ruleId' | 'resourcePattern'>): boolean {
  return waiver.ruleId === '*' && /^\*+$/.test(waiver.resourcePattern.trim());
}

/** What the policy refuses in a new waiver (field and message), or undefined when it is within the policy. */
export function waiverPolicyProblem(waiver: Pick<Suppression, 'ruleId' | 'resourcePattern' | 'expiresAt'>, policy: WaiverPolicy, now: Date): { field: string; message: string } | undefined {
  if (waivesEverything(waiver) && !policy.allowEveryRuleOnEveryResource) {
    return { field: 'resourcePattern', message: 'a waiver of every rule on every resource is refused (the config\'s waiverPolicy.allowEveryRuleOnEveryResource allows it)' };
  }
  const latest = now.getTime() + policy.maxDays * DAY_MS;
  if (Date.parse(waiver.expiresAt) > latest) {
    return { field: 'expiresAt', message: `must be at most ${policy.maxDays} days from now, ${new Date(latest).toISOString()} (the config's waiverPolicy.maxDays)` };
  }
  return undefined;
}

/** Whether the policy lets a waiver suppress this finding. */
export function mayWaive(finding: Pick<Finding, 'severity'>, policy: WaiverPolicy): boolean {
  return finding.severity !== 'critical' || policy.allowCritical;
}
