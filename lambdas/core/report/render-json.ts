/**
 * JSON: `{ scan, summary, findings }`, keys in a fixed order so the same scan always gives the same
 * bytes. < > & and U+2028/9 are written as \u escapes (still the same JSON value), so the output is
 * also safe if someone embeds it in HTML.
 */
import type { StoredFinding } from '../model';
import type { ReportModel } from './report-model';

export const REPORT_JSON_FORMAT = 'redis-compliance/report@1';

export function reportJson(model: ReportModel): unknown {
  const { scan } = model;
  return {
    format: REPORT_JSON_FORMAT,
    generatedAt: model.generatedAt,
    ...(model.reportUrl !== undefined ? { reportUrl: model.reportUrl } : {}),
    scan: {
      scanId: scan.scanId,
      trigger: scan.trigger,
      status: scan.status,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt ?? null,
      capturedAt: model.capturedAt ?? null,
      targets: scan.targets.map((t) => ({ accountId: t.accountId, region: t.region })),
      errors: scan.errors.map((e) => ({ accountId: e.accountId, region: e.region, service: e.service, operation: e.operation, code: e.code, message: e.message })),
      redisServers: scan.redisServers,
      frontends: scan.frontends,
      clusters: scan.clusters,
      notEvaluated: scan.notEvaluated.map((n) => ({ accountId: n.accountId, region: n.region, instanceId: n.instanceId, role: n.role, state: n.state, reason: n.reason })),
      apiCalls: sortedRecord(scan.apiCalls),
      notEnrolled: [...(scan.notEnrolled ?? [])],
    },
    summary: {
      total: model.findings.length,
      counts: { FAIL: model.counts.FAIL, UNKNOWN: model.counts.UNKNOWN, SUPPRESSED: model.counts.SUPPRESSED, PASS: model.counts.PASS, NOT_APPLICABLE: model.counts.NOT_APPLICABLE },
      failBySeverity: { ...model.failBySeverity },
      compliancePercent: model.compliancePercent,
      changes: model.changes.compared
        ? { compared: true, previousScanId: model.changes.previousScanId ?? null, new: model.changes.new.map(findingJson), resolved: model.changes.resolved.map(findingJson) }
        : { compared: false, previousScanId: null, new: [], resolved: [] },
      waivers: {
        expiringWithinDays: model.waivers.expiringWithinDays,
        active: model.waivers.active.map(waiverJson),
        expiringSoon: model.waivers.expiringSoon.map(waiverJson),
        expired: model.waivers.expired.map(({ finding, waiver }) => ({ finding: findingRef(finding), waiver: { id: waiver.id, reason: waiver.reason, owner: waiver.owner, expiredAt: waiver.expiredAt } })),
      },
      trend: model.trend.map((p) => ({ scanId: p.scanId, finishedAt: p.finishedAt, compliancePercent: p.compliancePercent })),
    },
    findings: model.findings.map(findingJson),
  };
}

export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(reportJson(model), null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

function findingRef(f: StoredFinding): Record<string, unknown> {
  return { accountId: f.accountId, region: f.region, resourceId: f.resourceId, ruleId: f.ruleId };
}

function findingJson(f: StoredFinding): Record<string, unknown> {
  return {
    scanId: f.scanId,
    ruleId: f.ruleId,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    resourceName: f.resourceName ?? null,
    accountId: f.accountId,
    region: f.region,
    environment: f.environment,
    production: f.production,
    cluster: f.cluster,
    status: f.status,
    ruleStatus: f.ruleStatus,
    severity: f.severity,
    title: f.title,
    observed: f.observed,
    required: f.required,
    requirement: f.requirement,
    remediation: f.remediation,
    suppression: f.suppression ? { id: f.suppression.id, reason: f.suppression.reason, owner: f.suppression.owner, expiresAt: f.suppression.expiresAt } : null,
    waiverExpired: f.waiverExpired ? { id: f.waiverExpired.id, reason: f.waiverExpired.reason, owner: f.waiverExpired.owner, expiredAt: f.waiverExpired.expiredAt } : null,
  };
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A waiver as the report lists it: its scope, owner, expiry and how many findings it suppresses. */
function waiverJson({ suppression, daysLeft, suppressedFindings }: ReportModel['waivers']['active'][number]) {
  return {
    id: suppression.id,
    ruleId: suppression.ruleId,
    resourcePattern: suppression.resourcePattern,
    reason: suppression.reason,
    owner: suppression.owner,
    expiresAt: suppression.expiresAt,
    daysLeft,
    suppressedFindings,
  };
}
