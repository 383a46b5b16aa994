/** cdk-nag AwsSolutions on the whole app (after synthesis, as `cdk synth` sees it), in every shape. */
import { App, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { buildTestApp, nagFindings } from './app-fixture';

const SHAPES: Record<string, Parameters<typeof buildTestApp>[0]> = {
  'defaults (own account, single Lambda)': {},
  'listed accounts, e-mail, alarm e-mail': {
    targets: { regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: ['444455556666', '777788889999'] },
    report: { recipients: ['ops@example.com'], sender: 'compliance@example.com' },
    alarms: { email: 'oncall@example.com' },
  },
  'organization fan-out with StackSets': {
    fanOut: { enabled: true, maxConcurrency: 10 },
    targets: { regions: ['eu-west-1', 'eu-central-1'], source: 'organization' },
    readerRole: { externalId: 'org-external-id', scannerAccountId: '111122223333', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] },
  },
  'CORS on, no API CloudWatch role, Slack off': { api: { corsAllowOrigins: ['https://console.example.com'], createCloudWatchRole: false }, report: { slack: false } },
};

describe.each(Object.entries(SHAPES))('AwsSolutions: %s', (_name, overrides) => {
  test('no unacknowledged error or warning', () => {
    const { app } = buildTestApp(overrides);
    expect(nagFindings(app)).toEqual([]);
  });
});

function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason: String(reason) }))),
  );
}

test('every acknowledgement sits on a construct below a stack (never the app or a stack) and gives a reason', () => {
  const { app } = buildTestApp(SHAPES['organization fan-out with StackSets']);
  const acks = acknowledgements(app);
  expect(acks.length).toBeGreaterThan(5);
  for (const ack of acks) {
    expect(ack.path.split('/').length).toBeGreaterThan(1);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
});

/** Every finding the checks make, acknowledged or not: (construct path of the resource, rule id). */
function rawFindings(app: App): { path: string; id: string }[] {
  app.synth();
  const found: { path: string; id: string }[] = [];
  const pack = NagPack.prototype as unknown as { isAcknowledged(resource: IConstruct, ruleId: string): boolean };
  const spy = jest.spyOn(pack, 'isAcknowledged').mockImplementation((resource, ruleId) => {
    found.push({ path: resource.node.path, id: ruleId });
    return true;
  });
  try {
    new AwsSolutionsChecks(app).validateScope(app);
  } finally {
    spy.mockRestore();
  }
  return found;
}

describe.each(Object.entries(SHAPES))('acknowledgements match real findings: %s', (_name, overrides) => {
  test('each acknowledged rule id is a finding the checks make on that construct or below it', () => {
    const { app } = buildTestApp(overrides);
    const findings = rawFindings(app as App);
    // Acknowledged ids are stored qualified (`Annotation::AwsSolutions-...`), as cdk-nag reads them.
    const stale = acknowledgements(app)
      .map((ack) => ({ ...ack, id: ack.id.replace(/^annotation::/i, '') }))
      .filter((ack) => !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))));
    expect(stale.map((s) => `${s.path}: ${s.id}`)).toEqual([]);
  });
});

test('the dead-letter queue needs no SQS3 acknowledgement (it is named as a DLQ)', () => {
  const { app } = buildTestApp();
  expect(rawFindings(app as App).filter((f) => f.id.startsWith('AwsSolutions-SQS3'))).toEqual([]);
});

test('the checks find problems when they exist (an unacknowledged wildcard is reported)', () => {
  const { app, stacks } = buildTestApp();
  const { PolicyStatement } = jest.requireActual('aws-cdk-lib/aws-iam') as typeof import('aws-cdk-lib/aws-iam');
  stacks.scanner.functions.report.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  expect(nagFindings(app as App).map((f) => f.rule)).toContain('AwsSolutions-IAM5[Resource::*]');
});
