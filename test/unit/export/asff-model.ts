/**
 * The ASFF shape as the AWS SDK declares it, read from @aws-sdk/client-securityhub itself: the
 * required members and the length / array-size constraints documented on each member of the
 * `AwsSecurityFinding` model (and the nested models we fill), and the enum values the SDK exports.
 * Plus the top-level attributes the Security Hub User Guide lists as required for every finding
 * ("Required top-level ASFF attributes": AwsAccountId, CreatedAt, Description, GeneratorId, Id,
 * ProductArn, Resources, SchemaVersion, Severity, Title, Types, UpdatedAt).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ComplianceStatus, Partition, RecordState, SeverityLabel, WorkflowStatus } from '@aws-sdk/client-securityhub';

export interface MemberRule {
  required: boolean;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  minItems?: number;
}

export type ModelRules = Record<string, MemberRule>;

const modelsDir = join(dirname(require.resolve('@aws-sdk/client-securityhub/package.json')), 'dist-types', 'models');
const declarations = readdirSync(modelsDir).filter((f) => /^models_\d+\.d\.ts$/.test(f)).map((f) => readFileSync(join(modelsDir, f), 'utf8')).join('\n');

/** The members of `export interface <name> { ... }` with the constraints documented above each. */
export function modelRules(name: string): ModelRules {
  const start = declarations.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`the SDK declares no interface ${name}`);
  const end = declarations.indexOf('\n}', start);
  const body = declarations.slice(start, end);
  const rules: ModelRules = {};
  let pending: Omit<MemberRule, 'required'> = {};
  for (const line of body.split('\n').slice(1)) {
    const text = line.replace(/<[^>]+>/g, '');
    const length = /Length Constraints:\s*(?:Minimum (?:length of|of) (\d+)(?: length)?\.\s*)?(?:Maximum (?:length of|of) (\d+)(?: length)?\.)?/.exec(text);
    if (length && (length[1] || length[2])) {
      if (length[1]) pending.minLength = Number(length[1]);
      if (length[2]) pending.maxLength = Number(length[2]);
    }
    const exact = /Length Constraints:\s*(\d+)\.\s*$/.exec(text.trim());
    if (exact) pending = { ...pending, minLength: Number(exact[1]), maxLength: Number(exact[1]) };
    const items = /Array Members:\s*(?:Minimum number of (\d+) items?\.\s*)?(?:Maximum number of (\d+) items?\.)?/.exec(text);
    if (items && (items[1] || items[2])) {
      if (items[1]) pending.minItems = Number(items[1]);
      if (items[2]) pending.maxItems = Number(items[2]);
    }
    const member = /^\s{4}(\w+)(\??):/.exec(line);
    if (member) {
      rules[member[1]!] = { required: member[2] !== '?', ...pending };
      pending = {};
    }
  }
  return rules;
}

export const ASFF_ENUMS = {
  'Compliance.Status': Object.values(ComplianceStatus) as string[],
  'Severity.Label': Object.values(SeverityLabel) as string[],
  RecordState: Object.values(RecordState) as string[],
  'Workflow.Status': Object.values(WorkflowStatus) as string[],
  'Resources[].Partition': Object.values(Partition) as string[],
};

export const USER_GUIDE_REQUIRED = ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity', 'Title', 'Types', 'UpdatedAt'];

/** Security Hub timestamps: RFC 3339 date-time (the User Guide's "Timestamps in ASFF"); we emit UTC with milliseconds. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const TIMESTAMP_FIELDS = ['FirstObservedAt', 'LastObservedAt', 'CreatedAt', 'UpdatedAt'];

/** Every problem of one finding against the SDK model; empty when it conforms. */
export function asffProblems(finding: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const top = modelRules('AwsSecurityFinding');
  checkObject('', finding, top, problems);
  for (const field of USER_GUIDE_REQUIRED) if (finding[field] === undefined) problems.push(`${field}: required by the User Guide`);
  for (const field of Object.keys(finding)) if (!(field in top)) problems.push(`${field}: not a member of AwsSecurityFinding`);
  for (const field of TIMESTAMP_FIELDS) {
    const value = finding[field];
    if (value !== undefined && (typeof value !== 'string' || !TIMESTAMP.test(value) || Number.isNaN(Date.parse(value)))) problems.push(`${field}: not an RFC 3339 timestamp: ${JSON.stringify(value)}`);
  }
  if (typeof finding.ProductArn === 'string' && !/^arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/.test(finding.ProductArn)) problems.push(`ProductArn: not a custom integration product ARN: ${finding.ProductArn}`);
  if (typeof finding.AwsAccountId === 'string' && !/^\d{12}$/.test(finding.AwsAccountId)) problems.push('AwsAccountId: not 12 digits');
  const severity = finding.Severity as Record<string, unknown> | undefined;
  if (severity) {
    checkObject('Severity.', severity, modelRules('Severity'), problems);
    checkEnum('Severity.Label', severity.Label, problems);
  }
  const compliance = finding.Compliance as Record<string, unknown> | undefined;
  if (compliance) {
    checkObject('Compliance.', compliance, modelRules('Compliance'), problems);
    checkEnum('Compliance.Status', compliance.Status, problems);
  }
  const recommendation = (finding.Remediation as { Recommendation?: Record<string, unknown> } | undefined)?.Recommendation;
  if (recommendation) checkObject('Remediation.Recommendation.', recommendation, modelRules('Recommendation'), problems);
  checkEnum('RecordState', finding.RecordState, problems);
  checkEnum('Workflow.Status', (finding.Workflow as { Status?: unknown } | undefined)?.Status, problems);
  const resources = (finding.Resources as Array<Record<string, unknown>> | undefined) ?? [];
  resources.forEach((resource, i) => {
    checkObject(`Resources[${i}].`, resource, modelRules('Resource'), problems);
    checkEnum('Resources[].Partition', resource.Partition, problems);
  });
  for (const [name, map] of [['ProductFields', finding.ProductFields], ['UserDefinedFields', finding.UserDefinedFields]] as const) {
    if (map === undefined) continue;
    const entries = Object.entries(map as Record<string, unknown>);
    // ProductFields: up to 50 pairs, keys up to 128 characters, values up to 2048 (the SDK model's documentation).
    if (entries.length > 50) problems.push(`${name}: ${entries.length} pairs (at most 50)`);
    for (const [k, v] of entries) {
      if (k.length > 128) problems.push(`${name}.${k}: key longer than 128`);
      if (typeof v !== 'string' || v.length > (name === 'ProductFields' ? 2048 : 1024)) problems.push(`${name}.${k}: value not a string of the allowed length`);
    }
  }
  // NonEmptyString, the type of nearly every ASFF string (Resource.Tags values included), has a
  // pattern: at least one non-whitespace character (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/
  // securityhub.json, `com.amazonaws.securityhub#NonEmptyString`: `\S`, `.*\S.*` in later models).
  // The SDK's types do not carry patterns, so the check is made here, on every string.
  for (const [path, text] of strings('', finding)) if (!/\S/.test(text)) problems.push(`${path}: does not match the NonEmptyString pattern .*\\S.*`);
  return problems;
}

function strings(path: string, value: unknown): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(`${path}[${i}]`, item));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(path ? `${path}.${key}` : key, item));
  return [];
}

function checkObject(prefix: string, value: Record<string, unknown>, rules: ModelRules, problems: string[]): void {
  for (const [name, rule] of Object.entries(rules)) {
    const v = value[name];
    if (v === undefined || v === null) {
      if (rule.required) problems.push(`${prefix}${name}: required by the SDK model`);
      continue;
    }
    if (typeof v === 'string') {
      if (rule.minLength !== undefined && v.length < rule.minLength) problems.push(`${prefix}${name}: shorter than ${rule.minLength}`);
      if (rule.maxLength !== undefined && v.length > rule.maxLength) problems.push(`${prefix}${name}: longer than ${rule.maxLength} (${v.length})`);
    }
    if (Array.isArray(v)) {
      if (rule.minItems !== undefined && v.length < rule.minItems) problems.push(`${prefix}${name}: fewer than ${rule.minItems} items`);
      if (rule.maxItems !== undefined && v.length > rule.maxItems) problems.push(`${prefix}${name}: more than ${rule.maxItems} items`);
      for (const item of v) if (typeof item === 'string' && item.length === 0) problems.push(`${prefix}${name}: empty string item`);
    }
  }
}

function checkEnum(path: keyof typeof ASFF_ENUMS, value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !ASFF_ENUMS[path].includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${ASFF_ENUMS[path].join(', ')}`);
}
