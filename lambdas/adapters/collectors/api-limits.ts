/**
 * The request limits of the AWS APIs the collectors call, and so the page and batch sizes they use.
 * Page sizes are the largest `MaxResults` each API accepts; batch sizes are the most filter values
 * one request may carry. Sources: the EC2 and Systems Manager API references (see docs/collectors.md).
 */

/** Largest `MaxResults` per EC2 operation. */
export const EC2_PAGE_SIZE = {
  DescribeInstances: 1000,
  DescribeInstanceTypes: 100,
  DescribeSubnets: 1000,
  DescribeRouteTables: 100,
  DescribeNetworkAcls: 100,
  DescribeSecurityGroups: 1000,
  DescribeVolumes: 1000,
  DescribeNetworkInterfaces: 1000,
  // GetManagedPrefixListEntries MaxResults: "Valid Range: Minimum value of 1. Maximum value of 100."
  // (EC2 API reference, GetManagedPrefixListEntries).
  GetManagedPrefixListEntries: 100,
} as const;

/** Instance type names one DescribeInstanceTypes request may name (its `InstanceTypes` list). */
export const INSTANCE_TYPES_PER_CALL = 100;

/**
 * Values one EC2 filter may carry. EC2 rejects more with `FilterLimitExceeded` ("The maximum number
 * of filter values specified on a single call is 200").
 */
export const EC2_FILTER_VALUES_PER_CALL = 200;

/** DescribeInstanceInformation: largest `MaxResults` (5-50); an `InstanceIds` filter batch matches it. */
export const SSM_INSTANCE_INFORMATION_PAGE_SIZE = 50;

/**
 * ListInventoryEntries (API reference): `InstanceId` and `TypeName` required (one instance and one
 * type a call), `MaxResults` 1-50, at most 5 `Filters`, each of at most 40 `Values`.
 */
export const SSM_INVENTORY_ENTRIES_PAGE_SIZE = 50;
export const SSM_INVENTORY_FILTERS_PER_CALL = 5;
export const SSM_INVENTORY_FILTER_VALUES_PER_FILTER = 40;

/**
 * ListInventoryEntries calls in flight per target (account x region), at most. The calls are per
 * instance, so they run through a pool whose limit throttling lowers and successes restore
 * (adaptive-concurrency.ts); the SDK's adaptive retry paces each attempt.
 */
export const SSM_INVENTORY_CONCURRENCY = 5;
