/**
 * What the fan-out scans: the configured accounts (or the scanner's own account) x regions, or one
 * page of AWS Organizations accounts (ACTIVE only) x regions. Pure: no AWS calls.
 */
import * as z from 'zod/mini';
import '../../core/zod-messages';

export const TARGET_SOURCES = ['self', 'accounts', 'organization'] as const;
export type TargetSource = (typeof TARGET_SOURCES)[number];

export interface FanOutTarget {
  accountId: string;
  region: string;
}

/** An Organizations ListAccounts `Account` as the Step Functions SDK integration returns it. */
export const OrganizationAccountSchema = z.looseObject({
  Id: z.string().check(z.regex(/^\d{12}$/)),
  Status: z.optional(z.string()),
  State: z.optional(z.string()),
});
export type OrganizationAccount = z.infer<typeof OrganizationAccountSchema>;

/** Every account x region pair, accounts and regions de-duplicated, in input order. */
export function crossTargets(accountIds: readonly string[], regions: readonly string[]): FanOutTarget[] {
  const accounts = [...new Set(accountIds)];
  const uniqueRegions = [...new Set(regions)];
  return accounts.flatMap((accountId) => uniqueRegions.map((region) => ({ accountId, region })));
}

/** ACTIVE accounts only (`State` is the newer field, `Status` the older one). */
export function activeAccountIds(accounts: readonly OrganizationAccount[]): string[] {
  return accounts.filter((a) => (a.State ?? a.Status ?? '').toUpperCase() === 'ACTIVE').map((a) => a.Id);
}

/** Targets of the configured source; `organization` starts empty (pages are expanded one by one). */
export function configuredTargets(source: TargetSource, accountIds: readonly string[], ownAccountId: string, regions: readonly string[]): FanOutTarget[] {
  if (source === 'organization') return [];
  return crossTargets(source === 'self' ? [ownAccountId] : accountIds, regions);
}
