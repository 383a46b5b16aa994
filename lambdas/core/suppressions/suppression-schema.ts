/**
 * What a waiver looks like when it crosses a boundary (API body, config file): zod schemas and a
 * validator that names the offending field. Pure.
 */
import * as z from 'zod/mini';
import '../zod-messages';
import { RULE_IDS, type Suppression } from '../model';
import { DEFAULT_WAIVER_POLICY, waiverPolicyProblem, type WaiverPolicy } from './waiver-policy';

export const SUPPRESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_RESOURCE_PATTERN_LENGTH = 256;
export const MAX_REASON_LENGTH = 1000;
export const MAX_OWNER_LENGTH = 200;

/** Printable text: no control characters (they have no place in ids, names or reasons). */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((v) => !CONTROL_CHARACTERS.test(v), 'must not contain control characters'),
  );

export const SuppressionIdSchema = z.string().check(z.regex(SUPPRESSION_ID_PATTERN, 'letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit'));

export const SuppressionRuleIdSchema = z.enum([...RULE_IDS, '*'], { error: `must be one of ${RULE_IDS.join(', ')} or "*"` });

/** `*` matches any run of characters; every other character matches itself. */
export const ResourcePatternSchema = text(MAX_RESOURCE_PATTERN_LENGTH);

export const ExpiresAtSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2030-01-31T00:00:00Z' });

/** The fields of a waiver written in the config file (the API takes them but `owner`, and adds id and createdAt). */
export const SuppressionInputSchema = z.strictObject({
  ruleId: SuppressionRuleIdSchema,
  resourcePattern: ResourcePatternSchema,
  reason: text(MAX_REASON_LENGTH),
  owner: text(MAX_OWNER_LENGTH),
  expiresAt: ExpiresAtSchema,
});
export type SuppressionInput = z.infer<typeof SuppressionInputSchema>;

/** A waiver written in redis-compliance.config.json: as the API's input, with an optional id. */
export const ConfigSuppressionSchema = z.extend(SuppressionInputSchema, {
  id: z.optional(SuppressionIdSchema),
});
export type ConfigSuppression = z.infer<typeof ConfigSuppressionSchema>;

/** A stored waiver (what the store returns and the API lists). */
export const SuppressionSchema = z.extend(SuppressionInputSchema, {
  id: SuppressionIdSchema,
  createdAt: z.iso.datetime({ offset: true }),
});

/** What an API client sends: the owner is the caller's IAM identity, never the body's. */
export const ApiSuppressionInputSchema = z.strictObject({
  ruleId: SuppressionRuleIdSchema,
  resourcePattern: ResourcePatternSchema,
  reason: text(MAX_REASON_LENGTH),
  expiresAt: ExpiresAtSchema,
});

export type SuppressionValidation =
  | { ok: true; value: SuppressionInput }
  | { ok: false; field: string; message: string };

/**
 * Validates a new waiver from an API client, owned by `owner` (the caller's IAM identity). Besides
 * the shape, a new waiver must expire in the future (a waiver that is already expired would suppress
 * nothing and only hide a mistake) and keep to the waiver policy.
 */
export function validateNewSuppression(data: unknown, now: Date, owner: string, policy: WaiverPolicy = DEFAULT_WAIVER_POLICY): SuppressionValidation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, field: 'body', message: 'must be a JSON object' };
  if (Object.hasOwn(data, 'owner')) return { ok: false, field: 'owner', message: 'is taken from your IAM identity; leave it out of the body' };
  const result = ApiSuppressionInputSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.') || 'body';
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    return { ok: false, field, message };
  }
  if (Date.parse(result.data.expiresAt) <= now.getTime()) {
    return { ok: false, field: 'expiresAt', message: 'must be in the future' };
  }
  const refused = waiverPolicyProblem(result.data, policy, now);
  if (refused) return { ok: false, ...refused };
  return { ok: true, value: { ...result.data, owner } };
}

/** The first config-file waiver the policy refuses, as a message naming it, or undefined. */
export function configWaiverPolicyProblem(entries: readonly ConfigSuppression[], policy: WaiverPolicy, loadedAt: Date): string | undefined {
  for (const [index, entry] of entries.entries()) {
    const refused = waiverPolicyProblem(entry, policy, loadedAt);
    if (refused) return `suppressions[${index}]${entry.id ? ` (${entry.id})` : ''}.${refused.field}: ${refused.message}`;
  }
  return undefined;
}

/**
 * Waivers from the config file as Suppression values: a waiver without an id gets `config-<n>`
 * (1-based). Throws when one of them is outside the waiver policy.
 */
export function configSuppressions(entries: readonly ConfigSuppression[], loadedAt: Date, policy: WaiverPolicy = DEFAULT_WAIVER_POLICY): Suppression[] {
  const refused = configWaiverPolicyProblem(entries, policy, loadedAt);
  if (refused) throw new Error(`config waiver refused: ${refused}`);
  return entries.map((entry, index) => ({
    id: entry.id ?? `config-${index + 1}`,
    ruleId: entry.ruleId,
    resourcePattern: entry.resourcePattern,
    reason: entry.reason,
    owner: entry.owner,
    expiresAt: entry.expiresAt,
    createdAt: loadedAt.toISOString(),
  }));
}
