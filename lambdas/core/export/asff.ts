/**
 * A finding in the AWS Security Finding Format (ASFF), as imported into Security Hub by a custom
 * integration. Pure: the shape is declared here (the test checks it against the SDK's
 * `AwsSecurityFinding` type and the limits of its model).
 *
 * Sources (cited; checked again in test/unit/export/asff-shape.ts):
 * - Product ARN of a custom integration: `arn:aws:securityhub:<region>:<account-id>:product/<account-id>/default`
 *   (Security Hub User Guide, "Integrating Security Hub CSPM with custom products").
 * - Field limits and enums: @aws-sdk/client-securityhub `AwsSecurityFinding` model (Id 1-512,
 *   ProductArn 12-2048, GeneratorId 1-512, AwsAccountId 12, Title 1-256, Description 1-1024,
 *   Types at most 50, Recommendation.Text 1-512, Compliance.RelatedRequirements at most 32,
 *   Resources 1-32, Resource.Type 1-256, ProductFields at most 50 pairs, key <= 128, value <= 2048).
 * - After a finding is created, BatchImportFindings cannot change its Workflow (customers own it),
 *   and providers update Severity and Types through FindingProviderFields (BatchImportFindings API
 *   reference). Security Hub resets Workflow RESOLVED to NEW when RecordState goes ARCHIVED ->
 *   ACTIVE or Compliance.Status goes PASSED -> FAILED / WARNING / NOT_AVAILABLE (API reference, Workflow).
 */
import type { FindingStatus, ResourceType, Severity, Status } from '../model';
import type { ExportItem } from './export-items';
import { partitionOf, resourceArn } from './resource-arn';
import { fitText, nonEmpty } from './text-limits';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const ASFF_PRODUCT_NAME = 'redis-compliance';
export const ASFF_COMPANY_NAME = 'redis-compliance';
/**
 * Security Hub User Guide, "Types taxonomy for ASFF": namespace "Software and Configuration Checks",
 * category "Industry and Regulatory Standards"; the defined classifiers are recommended, not
 * required, so the third level names the standard these rules come from.
 */
export const ASFF_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/OutSystems Redis Requirements';

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type AsffRecordState = 'ACTIVE' | 'ARCHIVED';
export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';

export interface AsffResource {
  Type: string;
  Id: string;
  Partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  Region: string;
  Tags?: Record<string, string>;
  Details?: { Other: Record<string, string> };
}

export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  Region: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: { Status: AsffComplianceStatus; RelatedRequirements: string[] };
  FindingProviderFields: { Severity: { Label: AsffSeverityLabel; Original: string }; Types: string[] };
  RecordState: AsffRecordState;
  Workflow: { Status: AsffWorkflowStatus };
  /** The CVE ids a failing vulnerability rule names (SDK model `Vulnerability`: `Id` required). */
  Vulnerabilities?: Array<{ Id: string }>;
}

/** Rules whose failures name CVEs (in `observed`): their ASFF findings list them in `Vulnerabilities`. */
const CVE_RULES: ReadonlySet<string> = new Set(['redis.scripting-exposure', 'redis.known-vulnerabilities']);
const CVE_ID = /\bCVE-\d{4}-\d{4,7}\b/g;
const MAX_VULNERABILITIES = 50;

/** The distinct CVE ids a failing finding of a vulnerability rule names, in order of first mention. */
export function cveIdsOf(f: Pick<ExportItem['finding'], 'ruleId' | 'ruleStatus' | 'observed'>): string[] {
  if (!CVE_RULES.has(f.ruleId) || f.ruleStatus !== 'FAIL') return [];
  return [...new Set(f.observed.match(CVE_ID) ?? [])].slice(0, MAX_VULNERABILITIES);
}

const SEVERITY_LABEL: Record<Severity, AsffSeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };

/** UNKNOWN (evidence missing) is a WARNING, as Security Hub uses it for "information is missing". */
const COMPLIANCE_STATUS: Record<Status, AsffComplianceStatus> = { PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'WARNING', NOT_APPLICABLE: 'NOT_AVAILABLE' };

const RESOURCE_TYPE: Record<ResourceType, string> = {
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'Redis::Cluster': 'Other',
};

/** The custom-integration product ARN of an account's hub in a region. */
export function productArn(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * The finding's Id: one per (account, region, resource, rule), so a re-scan updates the finding
 * instead of adding one. Ids longer than 512 characters (only possible with very long cluster tag
 * values) keep their start and end around a hash of the whole key.
 */
export function asffFindingId(item: Pick<ExportItem['finding'], 'accountId' | 'region' | 'resourceId' | 'ruleId'>): string {
  const id = `redis-compliance/${item.accountId}/${item.region}/${item.resourceId}/${item.ruleId}`;
  if (id.length <= 512) return id;
  return `${id.slice(0, 400)}~${fnv1a(id)}~${id.slice(-90)}`;
}

/** The ASFF record of one export item. */
export function toAsffFinding(item: ExportItem): AsffFinding {
  const f = item.finding;
  const ruleStatus = f.ruleStatus;
  const failing = ruleStatus === 'FAIL' || ruleStatus === 'UNKNOWN';
  // A passing check is informational, as Security Hub's own control findings are; the rule's
  // severity stays in Severity.Original.
  const label: AsffSeverityLabel = failing && !item.gone ? SEVERITY_LABEL[f.severity] : 'INFORMATIONAL';
  const severity = { Label: label, Original: f.severity };
  const archived = item.gone || item.resolved || ruleStatus === 'NOT_APPLICABLE';
  const arn = resourceArn(f);
  const resource: AsffResource = {
    Type: RESOURCE_TYPE[f.resourceType],
    Id: arn ?? `redis-cluster/${f.resourceId}`,
    Partition: partitionOf(f.region),
    Region: f.region,
    // The service model requires a tag value to match `.*\S.*` (Resource.Tags): a Name of spaces,
    // which EC2 allows, would make the whole BatchImportFindings call invalid, so it is left out.
    ...(f.resourceName !== undefined && /\S/.test(fitText(f.resourceName, 256)) ? { Tags: { Name: fitText(f.resourceName, 256) } } : {}),
    ...(arn === undefined ? { Details: { Other: otherDetails(f) } } : {}),
  };
  const cves = item.gone ? [] : cveIdsOf(f);
  const finding: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffFindingId(f),
    ProductArn: productArn(f.accountId, f.region),
    ProductName: ASFF_PRODUCT_NAME,
    CompanyName: ASFF_COMPANY_NAME,
    Region: f.region,
    GeneratorId: f.ruleId,
    AwsAccountId: f.accountId,
    Types: [ASFF_TYPE],
    FirstObservedAt: item.firstObservedAt,
    LastObservedAt: item.lastObservedAt,
    CreatedAt: item.firstObservedAt,
    UpdatedAt: item.updatedAt,
    Severity: severity,
    Title: fitText(nonEmpty(f.title, f.ruleId), 256),
    Description: fitText(description(item), 1024),
    Remediation: { Recommendation: { Text: fitText(nonEmpty(f.remediation, 'See the requirement.'), 512) } },
    ProductFields: productFields(item),
    Resources: [resource],
    Compliance: { Status: item.gone ? 'NOT_AVAILABLE' : COMPLIANCE_STATUS[ruleStatus], RelatedRequirements: [fitText(f.requirement, 2048)] },
    FindingProviderFields: { Severity: severity, Types: [ASFF_TYPE] },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
    Workflow: { Status: workflowStatus(item, f.status) },
  };
  if (cves.length > 0) finding.Vulnerabilities = cves.map((Id) => ({ Id }));
  return finding;
}

function workflowStatus(item: ExportItem, status: FindingStatus): AsffWorkflowStatus {
  if (item.resolved || item.gone) return 'RESOLVED';
  if (status === 'SUPPRESSED') return 'SUPPRESSED';
  return 'NEW';
}

function description(item: ExportItem): string {
  const f = item.finding;
  const gone = item.gone ? `The resource was not found in the scan of ${f.accountId} ${f.region}; the finding is archived. ` : '';
  return `${gone}Observed: ${nonEmpty(f.observed, '(nothing recorded)')} Required: ${nonEmpty(f.required, '(see the requirement)')}`;
}

function otherDetails(f: ExportItem['finding']): Record<string, string> {
  return {
    cluster: fitText(f.cluster ?? f.resourceId, 1024),
    environment: fitText(f.environment, 1024),
    production: String(f.production),
  };
}

/** Product-specific values (at most 50 pairs; keys <= 128, values <= 2048 characters). */
function productFields(item: ExportItem): Record<string, string> {
  const f = item.finding;
  const fields: Record<string, string> = {
    'redis-compliance/ruleId': f.ruleId,
    'redis-compliance/status': f.status,
    'redis-compliance/ruleStatus': f.ruleStatus,
    'redis-compliance/severity': f.severity,
    'redis-compliance/resourceType': f.resourceType,
    'redis-compliance/resourceId': fitText(f.resourceId, 2048),
    'redis-compliance/environment': fitText(f.environment, 2048),
    'redis-compliance/production': String(f.production),
    'redis-compliance/scanId': f.scanId,
    'redis-compliance/observed': fitText(nonEmpty(f.observed, '-'), 2048),
    'redis-compliance/required': fitText(nonEmpty(f.required, '-'), 2048),
  };
  if (f.cluster !== null) fields['redis-compliance/cluster'] = fitText(f.cluster, 2048);
  if (item.gone) fields['redis-compliance/resourceGone'] = 'true';
  if (f.suppression) {
    fields['redis-compliance/waiver/id'] = fitText(f.suppression.id, 2048);
    fields['redis-compliance/waiver/owner'] = fitText(f.suppression.owner, 2048);
    fields['redis-compliance/waiver/reason'] = fitText(f.suppression.reason, 2048);
    fields['redis-compliance/waiver/expiresAt'] = f.suppression.expiresAt;
  }
  if (f.waiverExpired) {
    fields['redis-compliance/waiverExpired/id'] = fitText(f.waiverExpired.id, 2048);
    fields['redis-compliance/waiverExpired/expiredAt'] = f.waiverExpired.expiredAt;
  }
  return fields;
}

/** 32-bit FNV-1a of a string, as 8 hex digits (ids only; not a security hash). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
