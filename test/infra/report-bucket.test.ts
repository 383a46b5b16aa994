/**
 * The report bucket (lib/constructs/report-bucket.ts) as synthesized: SSE-KMS with the data key,
 * every public access blocked, plain HTTP denied, objects expired, and the API allowed to put and get
 * rendered reports under reports/ only, using the key only through S3; the API knows the bucket.
 * The IAM statements are also evaluated with @cloud-copilot/iam-simulate for the allowed and the
 * refused paths.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { buildTestApp, template } from './app-fixture';

const { stacks } = buildTestApp();
const scanner = template(stacks.scanner);
const data = template(stacks.data);

test('the bucket: data key by default, public access blocked, TLS only, objects expire after 7 days', () => {
  const [keyId] = Object.keys(data.findResources('AWS::KMS::Key'));
  expect(keyId).toBeDefined();
  scanner.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 7 })] },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  });
  scanner.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
});

test('the API function gets the bucket name and may put and get reports/* only, the key through S3 only', () => {
  const api = Object.values(scanner.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description ?? '').includes('REST API'))!;
  expect(api.Properties.Environment.Variables.REPORT_BUCKET_NAME).toEqual({ Ref: expect.stringMatching(/^ReportBucket/) });
  const statements = Object.values(scanner.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
  const objects = statements.find((s) => s.Sid === 'ReportObjects')!;
  expect(objects.Action).toEqual(['s3:PutObject', 's3:GetObject']);
  expect(JSON.stringify(objects.Resource)).toContain('/reports/*');
  const key = statements.find((s) => s.Sid === 'ReportObjectsKey')!;
  expect(key.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  expect(key.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
});

describe('the API role\'s synthesized statements, evaluated with iam-simulate', () => {
  const BUCKET_ARN = 'arn:aws:s3:::redis-compliance-reports-example';
  const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0000aaaa-bbbb-cccc-dddd-eeeeffff0000';
  /** CloudFormation values to concrete ARNs: the bucket's Arn, the data key (imported from the data stack). */
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(resolve);
    const v = value as Record<string, any>;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(resolve).join(v['Fn::Join'][0]);
    if (v['Fn::GetAtt']) return String(v['Fn::GetAtt'][0]).startsWith('ReportBucket') ? BUCKET_ARN : `unresolved:${v['Fn::GetAtt'][0]}`;
    if (v['Fn::ImportValue']) return KEY_ARN;
    if (v['Ref'] === 'AWS::Partition') return 'aws';
    if (v['Ref'] === 'AWS::AccountId') return '111122223333';
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  const statements = Object.values(scanner.findResources('AWS::IAM::Policy'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
    .filter((s) => s['Sid'] === 'ReportObjects' || s['Sid'] === 'ReportObjectsKey')
    .map(resolve);
  const policy = { Version: '2012-10-17', Statement: statements };
  // KMS also needs the key policy to allow: the data stack's, as synthesized.
  const keyPolicy = resolve(Object.values(data.findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy) as object;

  const decide = async (action: string, resource: string, context: Record<string, string> = {}) => {
    const response = await runSimulation({
      request: { principal: 'arn:aws:iam::111122223333:role/redis-compliance/api', action, resource: { resource, accountId: '111122223333' }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
      identityPolicies: [{ name: 'api', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(action.startsWith('kms:') ? { resourcePolicy: keyPolicy } : {}),
    }, {});
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
    return response.overallResult;
  };

  test('two statements were found and resolved', () => {
    expect(statements).toHaveLength(2);
    expect(JSON.stringify(statements)).not.toContain('unresolved');
  });

  test.each([
    ['s3:PutObject', `${BUCKET_ARN}/reports/scan-1/report.json`, {}, 'Allowed'],
    ['s3:GetObject', `${BUCKET_ARN}/reports/scan-1/report.html`, {}, 'Allowed'],
    ['s3:GetObject', `${BUCKET_ARN}/other/secret.json`, {}, 'ImplicitlyDenied'],
    ['s3:DeleteObject', `${BUCKET_ARN}/reports/scan-1/report.json`, {}, 'ImplicitlyDenied'],
    ['kms:Decrypt', KEY_ARN, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, 'Allowed'],
    ['kms:GenerateDataKey', KEY_ARN, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, 'Allowed'],
    ['kms:Decrypt', KEY_ARN, { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' }, 'ImplicitlyDenied'],
  ])('%s on %s (%j): %s', async (action, resource, context, expected) => {
    expect(await decide(action, resource, context)).toBe(expected);
  });
});
