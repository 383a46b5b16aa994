/**
 * The opt-in exports in the CDK app: config validation, environment, the exact IAM statements, the
 * access they give as AWS evaluates it (@cloud-copilot/iam-simulate on the synthesized policies:
 * BatchImportFindings allowed on the scanner's own product ARN in a target region only;
 * PutEvents on the scanner's bus), and cdk-nag.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../../lib/config/load-app-config';
import { buildTestApp, nagFindings, template, TEST_ENV } from './app-fixture';
import { grantLines, roleId, roleStatements } from './iam-statements';

// Each test synthesizes the app (and cdk-nag twice): seconds alone, longer on a shared machine.
jest.setTimeout(120_000);

const ACCOUNT = TEST_ENV.account;
const MEMBER = '444455556666';
const ON = { securityHub: { enabled: true }, findingEvents: { enabled: true }, targets: { regions: ['eu-west-1', 'us-east-1'] } };

function functionEnv(t: Template, prefix: string): Record<string, unknown> {
  const [fn] = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  return (fn![1]['Properties']['Environment']?.['Variables'] ?? {}) as Record<string, unknown>;
}

/** The role's identity policy with CloudFormation values resolved as deployed (account and region are concrete in the test env). */
function deployedPolicy(t: Template, role: string): { Version: string; Statement: unknown[] } {
  const resources = t.toJSON()['Resources'] as Record<string, { Type: string }>;
  const resolve = (v: unknown): unknown => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map(resolve);
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return o['Ref'] === 'AWS::Partition' ? 'aws' : o['Ref'] === 'AWS::AccountId' ? ACCOUNT : o['Ref'] === 'AWS::Region' ? TEST_ENV.region : `ref-${String(o['Ref'])}`;
    if ('Fn::Join' in o) { const [sep, parts] = o['Fn::Join'] as [string, unknown[]]; return parts.map(resolve).join(sep); }
    if ('Fn::GetAtt' in o) {
      const [id] = o['Fn::GetAtt'] as [string, string];
      const type = resources[id]?.Type;
      if (type === 'AWS::Events::EventBus') return `arn:aws:events:${TEST_ENV.region}:${ACCOUNT}:event-bus/${id}`;
      if (type === 'AWS::Logs::LogGroup') return `arn:aws:logs:${TEST_ENV.region}:${ACCOUNT}:log-group:${id}:*`;
      return `arn:aws:unresolved:${TEST_ENV.region}:${ACCOUNT}:${id}`;
    }
    if ('Fn::ImportValue' in o) return `arn:aws:imported:${TEST_ENV.region}:${ACCOUNT}:${JSON.stringify(o['Fn::ImportValue'])}`;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  const statements = Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p['Properties']['Roles'] as Array<{ Ref?: string }>).some((r) => r.Ref === role))
    .flatMap((p) => p['Properties']['PolicyDocument']['Statement'] as unknown[]);
  return { Version: '2012-10-17', Statement: resolve(statements) as unknown[] };
}

async function decide(policy: { Version: string; Statement: unknown[] }, action: string, resource: string): Promise<string> {
  const response = await runSimulation({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/redis-compliance/scan`, action, resource: { resource, accountId: resource.split(':')[4] ?? ACCOUNT }, contextVariables: { 'aws:SecureTransport': 'true' } },
    identityPolicies: [{ name: 'scanner', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

it('is off by default: no Security Hub statement, no export environment', () => {
  const t = template(buildTestApp().stacks.scanner);
  for (const prefix of ['ScanRole', 'FanOutMergeRole']) {
    expect(grantLines(roleStatements(t, roleId(t, prefix))).some((l) => l.includes('securityhub:'))).toBe(false);
  }
  expect(functionEnv(t, 'ScanFunction')).not.toHaveProperty('SECURITY_HUB_IMPORT');
  expect(functionEnv(t, 'ScanFunction')).not.toHaveProperty('FINDING_EVENTS');
});

it('validates the config', () => {
  expect(() => parseAppConfig({ ...ON, readerRole: { externalId: 'x-123' }, securityHub: { enabled: true, memberRoleName: 'bad name!' } }, 'test')).toThrow(/securityHub.memberRoleName/);
  expect(() => parseAppConfig({ targets: { regions: ['eu-west-1'] }, readerRole: { externalId: 'x-123' }, findingEvents: { enabled: 'yes' } }, 'test')).toThrow(/findingEvents.enabled/);
});

describe('turned on', () => {
  const t = template(buildTestApp(ON).stacks.scanner);

  it.each(['ScanRole', 'FanOutMergeRole'])('%s: BatchImportFindings on the product ARN of each target region only; PutEvents on the bus', (prefix) => {
    const statements = roleStatements(t, roleId(t, prefix));
    expect(statements.filter((s) => s.actions.includes('securityhub:BatchImportFindings'))).toEqual([{
      sid: 'ImportSecurityHubFindings',
      effect: 'Allow',
      actions: ['securityhub:BatchImportFindings'],
      resources: [
        `arn:\${AWS::Partition}:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
        `arn:\${AWS::Partition}:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      ],
    }]);
    expect(grantLines(statements).filter((l) => l.includes('events:PutEvents'))).toEqual([expect.stringMatching(/^Allow events:PutEvents on EventBus[0-9A-F]+\.Arn$/)]);
  });

  it('only the scan and merge roles may import', () => {
    const holders = Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => grantLines(roleStatements(t, id)).some((l) => l.includes('securityhub:')));
    expect(holders.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['FanOutMergeRole', 'ScanRole']);
  });

  it.each(['ScanFunction', 'FanOutMergeFunction'])('%s has the export environment', (prefix) => {
    expect(functionEnv(t, prefix)).toMatchObject({ SECURITY_HUB_IMPORT: 'enabled', SCANNER_ACCOUNT_ID: ACCOUNT, FINDING_EVENTS: 'enabled' });
  });

  it('as AWS evaluates it: own product ARN in a target region allowed; any other product, region or account denied', async () => {
    const policy = deployedPolicy(t, roleId(t, 'ScanRole'));
    const bus = Object.keys(t.findResources('AWS::Events::EventBus'))[0]!;
    const rows: Array<[string, string, string]> = [
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`, 'Allowed'],
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, 'Allowed'],
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:ap-south-1:${ACCOUNT}:product/${ACCOUNT}/default`, 'ImplicitlyDenied'],
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:eu-west-1:${MEMBER}:product/${MEMBER}/default`, 'ImplicitlyDenied'],
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/aws/guardduty`, 'ImplicitlyDenied'],
      ['securityhub:BatchImportFindings', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/other`, 'ImplicitlyDenied'],
      ['securityhub:BatchUpdateFindings', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:hub/default`, 'ImplicitlyDenied'],
      ['events:PutEvents', `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/${bus}`, 'Allowed'],
      ['events:PutEvents', `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`, 'ImplicitlyDenied'],
    ];
    const decided = await Promise.all(rows.map(async ([action, resource]) => [action, resource, await decide(policy, action, resource)]));
    expect(decided).toEqual(rows);
  });

  it('cdk-nag: no unacknowledged finding, also with a member import role in accounts mode', () => {
    expect(nagFindings(buildTestApp(ON).app)).toEqual([]);
    const { app } = buildTestApp({ ...ON, targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: [MEMBER] }, securityHub: { enabled: true, memberRoleName: 'RedisComplianceSecurityHubImport' } });
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('member import role (securityHub.memberRoleName)', () => {
  const ROLE = 'RedisComplianceSecurityHubImport';
  const withRole = (targets: Record<string, unknown>, extra: Record<string, unknown> = {}) => buildTestApp({
    ...ON,
    targets: targets as never,
    securityHub: { enabled: true, memberRoleName: ROLE },
    readerRole: { externalId: 'test-external-id', scannerAccountId: ACCOUNT, ...extra },
    ...(targets.source === 'organization' ? { fanOut: { enabled: true } } : {}),
  });

  it('accounts mode: the scanner may assume it in the listed accounts only, with its environment', () => {
    const t = template(withRole({ regions: ['eu-west-1'], source: 'accounts', accountIds: [MEMBER] }).stacks.scanner);
    expect(roleStatements(t, roleId(t, 'ScanRole')).filter((s) => s.sid === 'AssumeSecurityHubImportRole')).toEqual([
      { sid: 'AssumeSecurityHubImportRole', effect: 'Allow', actions: ['sts:AssumeRole'], resources: [`arn:\${AWS::Partition}:iam::*:role/${ROLE}`], condition: { StringEquals: { 'aws:ResourceAccount': [MEMBER] } } },
    ]);
    expect(functionEnv(t, 'ScanFunction')).toMatchObject({ SECURITY_HUB_MEMBER_ROLE_NAME: ROLE, READER_EXTERNAL_ID: 'test-external-id' });
  });

  it('organization mode: any account of the own organization (aws:ResourceOrgID), cdk-nag clean', () => {
    const built = withRole({ regions: ['eu-west-1'], source: 'organization' }, { stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] });
    const t = template(built.stacks.scanner);
    const [statement] = roleStatements(t, roleId(t, 'FanOutMergeRole')).filter((s) => s.sid === 'AssumeSecurityHubImportRole');
    expect(statement).toMatchObject({ resources: [`arn:\${AWS::Partition}:iam::*:role/${ROLE}`], condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } });
    // The StackSet deploys the role beside the reader role in every member account.
    const body = String(Object.values(template(built.stacks.memberStackSets!).findResources('AWS::CloudFormation::StackSet')).map((r) => r['Properties']['TemplateBody']).join('\n'));
    expect(body).toContain(ROLE);
    expect(nagFindings(built.app)).toEqual([]);
  });

  it('self mode: nothing to assume', () => {
    const t = template(buildTestApp({ ...ON, securityHub: { enabled: true, memberRoleName: ROLE } }).stacks.scanner);
    expect(grantLines(roleStatements(t, roleId(t, 'ScanRole'))).some((l) => l.includes(ROLE))).toBe(false);
  });

  it('the member stack holds the role: trusted by the scanner\'s roles with the external id, BatchImportFindings on its own product ARN', async () => {
    const built = withRole({ regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: [MEMBER] });
    const t = template(built.stacks.readerRole!);
    const roles = t.findResources('AWS::IAM::Role', { Properties: { RoleName: ROLE } });
    const [role] = Object.values(roles);
    expect(role!['Properties']['AssumeRolePolicyDocument']['Statement']).toEqual([expect.objectContaining({
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'test-external-id' }, ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/redis-compliance/*`]] } } },
    })]);
    const policy = { Version: '2012-10-17', Statement: JSON.parse(JSON.stringify(role!['Properties']['Policies'][0]['PolicyDocument']['Statement']).replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"').replace(/\{"Ref":"AWS::AccountId"\}/g, `"${MEMBER}"`).replace(/\{"Fn::Join":\["",\[((?:"[^"]*",?)+)\]\]\}/g, (_m, parts: string) => JSON.stringify((JSON.parse(`[${parts}]`) as string[]).join('')))) as unknown[] };
    const member = async (action: string, resource: string) => {
      const r = await runSimulation({ request: { principal: `arn:aws:iam::${MEMBER}:role/${ROLE}`, action, resource: { resource, accountId: resource.split(':')[4]! }, contextVariables: {} }, identityPolicies: [{ name: 'import', policy }], serviceControlPolicies: [], resourceControlPolicies: [] }, {});
      if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
      return r.overallResult;
    };
    expect(await member('securityhub:BatchImportFindings', `arn:aws:securityhub:us-east-1:${MEMBER}:product/${MEMBER}/default`)).toBe('Allowed');
    expect(await member('securityhub:BatchImportFindings', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`)).toBe('ImplicitlyDenied');
    expect(await member('securityhub:BatchUpdateFindings', `arn:aws:securityhub:eu-west-1:${MEMBER}:hub/default`)).toBe('ImplicitlyDenied');
    expect(nagFindings(built.app)).toEqual([]);
  });
});
