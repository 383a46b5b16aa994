/** Data stack (table mirrors the store's createTableInput), reader role, inventory association, StackSets. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { READER_IAM_ACTIONS } from '../../lambdas/adapters/collectors/reader-iam-actions';
import { createTableInput, TTL_ATTRIBUTE } from '../../lambdas/adapters/store/table-design';
import { buildTestApp } from './app-fixture';
import { grantLines, roleId, roleStatements } from './iam-statements';

describe('data stack', () => {
  const t = Template.fromStack(buildTestApp().stacks.data);

  test('the table has exactly the keys, attributes and indexes of the store design', () => {
    const design = createTableInput('RedisCompliance-findings');
    const table = Object.values(t.findResources('AWS::DynamoDB::Table'))[0]!['Properties'];
    expect(table['TableName']).toBe('RedisCompliance-findings');
    expect(table['KeySchema']).toEqual(design.KeySchema);
    expect([...table['AttributeDefinitions']].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName)))
      .toEqual([...design.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)));
    expect(table['GlobalSecondaryIndexes']).toEqual(design.GlobalSecondaryIndexes);
  });

  test('on-demand, point-in-time recovery, KMS (customer-managed key), TTL, deletion protection, retained', () => {
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the Slack webhook secret is encrypted with the data key and retained', () => {
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } }) });
  });
});

describe('member accounts', () => {
  const built = buildTestApp({
    fanOut: { enabled: true },
    targets: { regions: ['eu-west-1', 'us-east-1'], source: 'organization' },
    readerRole: { name: 'RedisReader', externalId: 'ext-123', scannerAccountId: '111122223333', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] },
    scan: { tags: { roleKey: 'Tier', redisRole: 'cache' }, redisPorts: [6379] },
  });

  test('reader role: exactly the collectors\' read-only actions; trusts only scanner roles with the external id', () => {
    const t = Template.fromStack(built.stacks.readerRole!);
    const id = roleId(t, 'ReaderRole');
    expect(grantLines(roleStatements(t, id))).toEqual(READER_IAM_ACTIONS.map((a) => `Allow ${a} on *`).sort());
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'RedisReader',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
          Condition: {
            StringEquals: { 'sts:ExternalId': 'ext-123' },
            ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/redis-compliance/*']] } },
          },
        }],
        Version: '2012-10-17',
      },
    });
  });

  test('inventory association: the Command document on instances tagged as Redis servers, with the configured ports', () => {
    expect(built.stacks.inventory.map((s) => s.region)).toEqual(['eu-west-1', 'us-east-1']);
    const t = Template.fromStack(built.stacks.inventory[0]!);
    t.hasResourceProperties('AWS::SSM::Association', {
      Targets: [{ Key: 'tag:Tier', Values: ['cache'] }],
      ScheduleExpression: 'cron(0 1 * * ? *)',
      Parameters: { Ports: ['6379'] },
    });
    const doc = Object.values(t.findResources('AWS::SSM::Document'))[0]!['Properties'];
    expect(doc['DocumentType']).toBe('Command');
    const script = doc['Content']['mainSteps'][0]['inputs']['runCommand'].join('\n');
    expect(script).toContain('rcli INFO');
    expect(script).toContain('rcli CLUSTER NODES');
    expect(script).toContain('Custom:RedisServer');
    expect(doc['Content']['parameters']['Ports']['default']).toBe('6379');
  });

  test('StackSets: reader role in one region, inventory in every region, auto-deployed to the OUs, templates without bootstrap', () => {
    const t = Template.fromStack(built.stacks.memberStackSets!);
    const sets = Object.values(t.findResources('AWS::CloudFormation::StackSet')).map((r) => r['Properties']);
    const reader = sets.find((s) => s.StackSetName.endsWith('reader-role'))!;
    const inventory = sets.find((s) => s.StackSetName.endsWith('redis-inventory'))!;
    expect(reader).toMatchObject({ PermissionModel: 'SERVICE_MANAGED', AutoDeployment: { Enabled: true }, Capabilities: ['CAPABILITY_NAMED_IAM'], StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] }, Regions: ['eu-west-1'] }] });
    expect(inventory.StackInstancesGroup).toEqual([{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] }, Regions: ['eu-west-1', 'us-east-1'] }]);
    const readerTemplate = JSON.parse(reader.TemplateBody);
    expect(readerTemplate.Rules).toBeUndefined();
    expect(readerTemplate.Parameters?.BootstrapVersion).toBeUndefined();
    expect(Object.values(readerTemplate.Resources).map((r) => (r as { Type: string }).Type)).toEqual(['AWS::IAM::Role']);
    expect(Object.values(JSON.parse(inventory.TemplateBody).Resources).map((r) => (r as { Type: string }).Type).sort()).toEqual(['AWS::SSM::Association', 'AWS::SSM::Association', 'AWS::SSM::Document']);
  });
});
