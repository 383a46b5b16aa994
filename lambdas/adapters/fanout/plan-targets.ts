/**
 * What the fan-out scans: the configured accounts (or the scanner's own account) x regions, or one
 * page of AWS Organizations accounts (ACTIVE only, and with the reader role's StackSet only the
 * enrolled ones) x regions. Pure: no AWS calls.
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

/**
 * A CloudFormation ListStackInstances `StackInstanceSummary` as the Step Functions SDK integration
 * returns it (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceSummary.html).
 */
export const StackInstanceSummarySchema = z.looseObject({
  Account: z.optional(z.string()),
  Status: z.optional(z.string()),
  StackInstanceStatus: z.optional(z.looseObject({ DetailedStatus: z.optional(z.string()) })),
});
export type StackInstanceSummary = z.infer<typeof StackInstanceSummarySchema>;

/**
 * Which organization accounts have the reader role, as far as the reader role's StackSet says:
 * `enrolled` grows with each page of its stack instances, `notEnrolled` with each page of ACTIVE
 * accounts that have none (they are not scanned, and are listed as such in the scan record).
 */
export interface Enrolment {
  enrolled: string[];
  notEnrolled: string[];
}

export const EnrolmentSchema = z.strictObject({
  enrolled: z.array(z.string().check(z.regex(/^\d{12}$/))),
  notEnrolled: z.array(z.string().check(z.regex(/^\d{12}$/))),
});

export const EMPTY_ENROLMENT: Enrolment = { enrolled: [], notEnrolled: [] };

/**
 * Accounts with a stack instance whose last operation succeeded (`StackInstanceStatus.DetailedStatus`
 * SUCCEEDED) or that is up to date with the StackSet (`Status` CURRENT): the reader role exists there.
 * An instance still being created (PENDING, RUNNING), failed, cancelled, skipped (suspended account)
 * or INOPERABLE does not count.
 */
export function enrolledAccountIds(instances: readonly StackInstanceSummary[]): string[] {
  return instances
    .filter((i) => i.Account !== undefined && (i.Status === 'CURRENT' || i.StackInstanceStatus?.DetailedStatus === 'SUCCEEDED'))
    .map((i) => i.Account!);
}

/** The enrolment after one page of stack instances. */
export function addEnrolledInstances(enrolment: Enrolment, instances: readonly StackInstanceSummary[]): Enrolment {
  return { enrolled: [...new Set([...enrolment.enrolled, ...enrolledAccountIds(instances)])], notEnrolled: enrolment.notEnrolled };
}

/**
 * One page of organization accounts: its ACTIVE accounts x regions, or, when `enrolledOnly`, only
 * the ACTIVE accounts with the reader role (and the scanner's own account, read with its own role,
 * which a service-managed StackSet never targets when it is the management account); the other
 * ACTIVE accounts join `notEnrolled`.
 */
export function planOrganizationPage(
  accounts: readonly OrganizationAccount[],
  regions: readonly string[],
  enrolment: Enrolment,
  options: { enrolledOnly: boolean; ownAccountId: string },
): { targets: FanOutTarget[]; enrolment: Enrolment } {
  const active = activeAccountIds(accounts);
  if (!options.enrolledOnly) return { targets: crossTargets(active, regions), enrolment };
  const enrolled = new Set(enrolment.enrolled);
  const covered = (id: string) => enrolled.has(id) || id === options.ownAccountId;
  const missing = active.filter((id) => !covered(id));
  return {
    targets: crossTargets(active.filter(covered), regions),
    enrolment: { enrolled: enrolment.enrolled, notEnrolled: [...new Set([...enrolment.notEnrolled, ...missing])] },
  };
}
