/**
 * A finding as an OCSF 1.8.0 Compliance Finding (class_uid 2003, category Findings 2), with the
 * `cloud` profile. Pure.
 *
 * Schema: github.com/ocsf/ocsf-schema at the v1.8.0 release commit (3dcb905d, version.json 1.8.0):
 * events/findings/compliance_finding.json (compliance required; resources and remediation
 * recommended), events/findings/finding.json (finding_info required; activity_id 1 Create /
 * 2 Update / 3 Close; status_id 1 New / 3 Suppressed / 4 Resolved), events/base_event.json
 * (activity_id, category_uid, class_uid, type_uid = class_uid * 100 + activity_id, severity_id,
 * time, metadata required), objects/compliance.json (status_id 1 Pass / 2 Warning "did not yield a
 * result due to missing information" / 3 Fail / 99 Other; status_details, a string array, in place of
 * status_detail, deprecated since 1.4.0), profiles/cloud.json (cloud required). Timestamps are
 * timestamp_t: milliseconds since the epoch. The fixture the test validates against is
 * test/fixtures/ocsf/compliance-finding-1.8.0.json (scripts/extract-ocsf-fixture.py).
 */
import type { Severity, Status } from '../model';
import { asffFindingId } from './asff';
import type { ExportItem } from './export-items';
import { partitionOf, resourceArn } from './resource-arn';

export const OCSF_VERSION = '1.8.0';
export const OCSF_CLASS_UID = 2003;
export const OCSF_CATEGORY_UID = 2;

const ACTIVITY = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;
type ActivityId = keyof typeof ACTIVITY;

const SEVERITY_ID: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/**
 * compliance.status_id: 1 Pass, 2 Warning, 3 Fail; what has no id of its own (a check that did not
 * apply, a resource that is gone) is 99 Other with the label in `status`, the schema's convention
 * ("In the case of 'Other', it is defined by the event source"), so a consumer filtering on ids
 * sees every finding.
 */
export const OCSF_OTHER = 99;
const COMPLIANCE_STATUS: Record<Status, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  UNKNOWN: { id: 2, name: 'Warning' },
  FAIL: { id: 3, name: 'Fail' },
  NOT_APPLICABLE: { id: OCSF_OTHER, name: 'Not Applicable' },
};

export interface OcsfComplianceFinding {
  activity_id: ActivityId;
  activity_name: string;
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  time: number;
  message: string;
  status_id: number;
  status: string;
  metadata: { version: string; profiles: string[]; product: { name: string; vendor_name: string; uid: string } };
  cloud: { provider: string; region: string; account: { uid: string; type_id: number; type: string } };
  finding_info: { uid: string; title: string; desc: string; types: string[]; created_time: number; modified_time: number; first_seen_time: number; last_seen_time: number };
  compliance: { status_id: number; status: string; status_details: string[]; requirements: string[]; control: string; standards: string[] };
  resources: Array<{ uid: string; name?: string; type: string; region: string; cloud_partition: string; labels?: string[]; data?: Record<string, string | boolean | null> }>;
  remediation: { desc: string };
}

/** The standard every rule belongs to. */
export const OCSF_STANDARD = 'OutSystems 11: System requirements for using Redis';

export function toOcsfComplianceFinding(item: ExportItem): OcsfComplianceFinding {
  const f = item.finding;
  const activity: ActivityId = item.resolved || item.gone ? 3 : item.firstObservedAt === item.updatedAt ? 1 : 2;
  const failing = f.ruleStatus === 'FAIL' || f.ruleStatus === 'UNKNOWN';
  const severity = failing && !item.gone ? SEVERITY_ID[f.severity] : SEVERITY_ID.info;
  const compliance = item.gone ? { id: OCSF_OTHER, name: 'Resource Gone' } : COMPLIANCE_STATUS[f.ruleStatus];
  const lifecycle = item.resolved || item.gone ? { id: 4, name: 'Resolved' } : f.status === 'SUPPRESSED' ? { id: 3, name: 'Suppressed' } : { id: 1, name: 'New' };
  const arn = resourceArn(f);
  return {
    activity_id: activity,
    activity_name: ACTIVITY[activity],
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: OCSF_CLASS_UID * 100 + activity,
    type_name: `Compliance Finding: ${ACTIVITY[activity]}`,
    severity_id: severity.id,
    severity: severity.name,
    time: Date.parse(item.updatedAt),
    message: f.title,
    status_id: lifecycle.id,
    status: lifecycle.name,
    metadata: { version: OCSF_VERSION, profiles: ['cloud'], product: { name: 'redis-compliance', vendor_name: 'redis-compliance', uid: 'redis-compliance' } },
    cloud: { provider: 'AWS', region: f.region, account: { uid: f.accountId, type_id: 10, type: 'AWS Account' } },
    finding_info: {
      uid: asffFindingId(f),
      title: f.title,
      desc: `Observed: ${f.observed} Required: ${f.required}`,
      types: [f.ruleId],
      created_time: Date.parse(item.firstObservedAt),
      modified_time: Date.parse(item.updatedAt),
      first_seen_time: Date.parse(item.firstObservedAt),
      last_seen_time: Date.parse(item.lastObservedAt),
    },
    compliance: {
      status_id: compliance.id,
      status: compliance.name,
      // status_detail is deprecated since OCSF 1.4.0: "Use the status_details attribute instead".
      status_details: [f.observed],
      requirements: [f.requirement],
      control: f.ruleId,
      standards: [OCSF_STANDARD],
    },
    resources: [{
      uid: arn ?? f.resourceId,
      ...(f.resourceName ? { name: f.resourceName } : {}),
      type: f.resourceType,
      region: f.region,
      cloud_partition: partitionOf(f.region),
      data: { environment: f.environment, production: f.production, cluster: f.cluster, ruleStatus: f.ruleStatus, status: f.status, scanId: f.scanId },
    }],
    remediation: { desc: f.remediation || 'See the requirement.' },
  };
}
