/** CSV: one row per finding, a header row, every Finding field plus the waiver columns (RFC 4180, CRLF). */
import type { StoredFinding } from '../model';
import { csvCell } from './escaping';
import type { ReportModel } from './report-model';

/** Column name and how to read it from a finding, in output order. */
const COLUMNS: ReadonlyArray<readonly [string, (f: StoredFinding) => string | boolean | null | undefined]> = [
  ['scanId', (f) => f.scanId],
  ['accountId', (f) => f.accountId],
  ['region', (f) => f.region],
  ['resourceType', (f) => f.resourceType],
  ['resourceId', (f) => f.resourceId],
  ['resourceName', (f) => f.resourceName],
  ['environment', (f) => f.environment],
  ['production', (f) => f.production],
  ['cluster', (f) => f.cluster],
  ['ruleId', (f) => f.ruleId],
  ['status', (f) => f.status],
  ['ruleStatus', (f) => f.ruleStatus],
  ['severity', (f) => f.severity],
  ['title', (f) => f.title],
  ['observed', (f) => f.observed],
  ['required', (f) => f.required],
  ['requirement', (f) => f.requirement],
  ['remediation', (f) => f.remediation],
  ['suppressionId', (f) => f.suppression?.id],
  ['suppressionReason', (f) => f.suppression?.reason],
  ['suppressionOwner', (f) => f.suppression?.owner],
  ['suppressionExpiresAt', (f) => f.suppression?.expiresAt],
  ['waiverExpiredId', (f) => f.waiverExpired?.id],
  ['waiverExpiredReason', (f) => f.waiverExpired?.reason],
  ['waiverExpiredOwner', (f) => f.waiverExpired?.owner],
  ['waiverExpiredAt', (f) => f.waiverExpired?.expiredAt],
];

export const CSV_HEADER: readonly string[] = COLUMNS.map(([name]) => name);

export function renderCsv(model: Pick<ReportModel, 'findings'>): string {
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  for (const finding of model.findings) lines.push(COLUMNS.map(([, read]) => csvCell(read(finding))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
