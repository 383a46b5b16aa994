/**
 * The log lines the scan Lambda writes when a scan ends. The CDK alarm on scans that did not
 * complete (lib/constructs/scanner-alarms.ts) filters on exactly these, so both import them here.
 */
export const SCAN_OUTCOME_LOG = {
  finishedMessage: 'scan finished',
  failedMessage: 'scan failed: no snapshot',
  statusField: 'status',
  alarmingStatuses: ['PARTIAL', 'FAILED'],
  /** A Security Hub import or finding-event publication that failed after the scan was stored. */
  exportFailedMessage: 'finding export failed',
} as const;
