/** Whether an AWS error means "slow down" (retry later), by its name or HTTP status. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // Security Hub: "rejected because it attempted to create resources beyond the current AWS
  // account or throttling limits" (API reference, common errors of BatchImportFindings).
  'LimitExceededException',
]);

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return !!e && (THROTTLING_NAMES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429);
}
