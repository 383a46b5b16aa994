/**
 * The log lines the scan Lambda writes when a scan ends. The CDK alarm on scans that did not
 * complete (lib/constructs/scanner-alarms.ts) filters on exactly these, so both import them here.
 */
export const SCAN_OUTCOME_LOG = {
  finishedMessage: 'scan finished',
  failedMessage: 'scan failed: no snapshot',
  statusField: 'status',
  alarmingStatuses: ['PARTIAL', 'FAILED'],
  /**
   * On the finished line: the share (0-100) of Redis servers whose version no inventory reports
   * (redis.version UNKNOWN): the inventory association failing, or not deployed, where they run.
   */
  inventoryGapField: 'redisVersionUnknownPercent',
  /** A Security Hub import or finding-event publication that failed after the scan was stored. */
  exportFailedMessage: 'finding export failed',
} as const;
