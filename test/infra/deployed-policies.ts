/**
 * The synthesized app as AWS would hold it after deployment: every stack's template (top level,
 * the Stage assemblies, and the StackSet template bodies deployed into member accounts), with the
 * CloudFormation intrinsics resolved to concrete ARNs, and from them the policies AWS evaluates:
 * each role's identity policies (inline + AWS::IAM::Policy), each role's trust policy, and the
 * resource policies of topics (AWS::SNS::TopicPolicy), keys (KeyPolicy), queues
 * (AWS::SQS::QueuePolicy), secrets (AWS::SecretsManager::ResourcePolicy), tables (their
 * ResourcePolicy) and functions (AWS::Lambda::Permission, as the statement Lambda's AddPermission
 * writes).
 *
 * Nothing here decides Allow or Deny: `evaluate` hands the policies to @cloud-copilot/iam-simulate.
 * Physical names the templates leave to CloudFormation are stood in by the logical id.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { CloudAssembly, type CloudFormationStackArtifact, NestedCloudAssemblyArtifact } from 'aws-cdk-lib/cx-api';

export const PARTITION = 'aws';
export const URL_SUFFIX = 'amazonaws.com';

type Json = unknown;
interface Resource { Type: string; Properties?: Record<string, Json> }
interface Template { Resources?: Record<string, Resource>; Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }> }

/** One deployed CloudFormation stack: where it runs and its template. */
export interface DeployedStack {
  /** Artifact id (`RedisCompliance-Scanner`, `MemberAccount/RedisCompliance-ReaderRole`, `stackset:<name>`). */
  id: string;
  account: string;
  region: string;
  template: Template;
}

export interface PolicyDocument { Version?: string; Statement: Record<string, Json>[] }

export interface DeployedRole {
  arn: string;
  stack: DeployedStack;
  logicalId: string;
  identityPolicies: { name: string; policy: PolicyDocument }[];
  trustPolicy: PolicyDocument;
}

export interface Decision {
  result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** The simulator's analysis, for the failure message. */
  detail: string;
}

/** The request AWS authorises: who (a role ARN or a service principal), what, on which ARN, with which context. */
export interface AccessRequest {
  principal: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every stack artifact of an assembly and its Stage sub-assemblies. */
function stackArtifacts(assembly: CloudAssembly): CloudFormationStackArtifact[] {
  return [
    ...assembly.stacks,
    ...assembly.artifacts.filter((a): a is NestedCloudAssemblyArtifact => a instanceof NestedCloudAssemblyArtifact).flatMap((a) => stackArtifacts(a.nestedAssembly)),
  ];
}

export interface DeploymentOptions {
  /** The account of stacks synthesized without one (environment-agnostic member stacks). */
  memberAccount: string;
  /** The region of environment-agnostic stacks. */
  defaultRegion: string;
}

export class Deployment {
  readonly stacks: DeployedStack[] = [];
  private readonly exports = new Map<string, { stack: DeployedStack; value: Json }>();

  constructor(assembly: CloudAssembly, options: DeploymentOptions) {
    for (const artifact of stackArtifacts(assembly)) {
      const account = /^\d{12}$/.test(artifact.environment.account) ? artifact.environment.account : options.memberAccount;
      const region = /^[a-z]{2}-/.test(artifact.environment.region) ? artifact.environment.region : options.defaultRegion;
      this.stacks.push({ id: artifact.hierarchicalId, account, region, template: artifact.template as Template });
    }
    // StackSets: their template bodies, deployed into the member account in each region of the set.
    for (const stack of [...this.stacks]) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (resource.Type !== 'AWS::CloudFormation::StackSet') continue;
        const props = resource.Properties ?? {};
        const body = JSON.parse(String(props['TemplateBody'])) as Template;
        const regions = list(props['StackInstancesGroup'] as { Regions: string[] }[]).flatMap((g) => g.Regions);
        for (const region of new Set(regions)) {
          this.stacks.push({ id: `stackset:${String(props['StackSetName'] ?? logicalId)}@${region}`, account: options.memberAccount, region, template: body });
        }
      }
    }
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export) this.exports.set(String(this.resolve(stack, output.Export.Name)), { stack, value: output.Value });
      }
    }
  }

  stack(id: string): DeployedStack {
    const found = this.stacks.filter((s) => s.id === id);
    if (found.length !== 1) throw new Error(`no single deployed stack ${id}; stacks: ${this.stacks.map((s) => s.id).join(', ')}`);
    return found[0]!;
  }

  /** The ARN a resource of a stack has once deployed (physical names stood in by logical ids). */
  arn(stack: DeployedStack, logicalId: string): string {
    return this.attribute(stack, logicalId, 'Arn');
  }

  /** `Ref` of a resource: what CloudFormation returns for it. */
  ref(stack: DeployedStack, logicalId: string): string {
    if (logicalId.startsWith('AWS::')) return this.pseudo(stack, logicalId);
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw new Error(`${stack.id}: no resource ${logicalId}`);
    const p = resource.Properties ?? {};
    const { account, region } = stack;
    switch (resource.Type) {
      case 'AWS::IAM::Role': return String(p['RoleName'] ? this.resolve(stack, p['RoleName']) : logicalId);
      case 'AWS::Lambda::Function': return String(p['FunctionName'] ? this.resolve(stack, p['FunctionName']) : logicalId);
      case 'AWS::DynamoDB::Table': return String(this.resolve(stack, p['TableName']) ?? logicalId);
      case 'AWS::Events::EventBus': return String(this.resolve(stack, p['Name']) ?? logicalId);
      case 'AWS::KMS::Key': return `key-${logicalId}`;
      case 'AWS::SecretsManager::Secret': return `arn:${PARTITION}:secretsmanager:${region}:${account}:secret:${logicalId}-AbCdEf`;
      case 'AWS::SNS::Topic': return `arn:${PARTITION}:sns:${region}:${account}:${logicalId}`;
      case 'AWS::SQS::Queue': return `https://sqs.${region}.${URL_SUFFIX}/${account}/${logicalId}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:${PARTITION}:states:${region}:${account}:stateMachine:${logicalId}`;
      case 'AWS::ApiGateway::Stage': return String(this.resolve(stack, p['StageName']) ?? logicalId);
      // Bucket names are lower case and global; the logical id stands in for the generated name.
      case 'AWS::S3::Bucket': return String(this.resolve(stack, p['BucketName']) ?? logicalId.toLowerCase());
      default: return logicalId;
    }
  }

  attribute(stack: DeployedStack, logicalId: string, attribute: string): string {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw new Error(`${stack.id}: no resource ${logicalId}`);
    const p = resource.Properties ?? {};
    const { account, region } = stack;
    const name = this.ref(stack, logicalId);
    if (attribute !== 'Arn' && !(resource.Type === 'AWS::SNS::Topic' && attribute === 'TopicArn') && !(resource.Type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name')) {
      if (resource.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return `root-${logicalId}`;
      return `${logicalId}.${attribute}`;
    }
    switch (resource.Type) {
      case 'AWS::IAM::Role': return `arn:${PARTITION}:iam::${account}:role${String(this.resolve(stack, p['Path']) ?? '/')}${name}`;
      case 'AWS::Lambda::Function': return `arn:${PARTITION}:lambda:${region}:${account}:function:${name}`;
      case 'AWS::DynamoDB::Table': return `arn:${PARTITION}:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::Events::EventBus': return `arn:${PARTITION}:events:${region}:${account}:event-bus/${name}`;
      case 'AWS::Events::Rule': return `arn:${PARTITION}:events:${region}:${account}:rule/${this.busName(stack, p)}${logicalId}`;
      case 'AWS::KMS::Key': return `arn:${PARTITION}:kms:${region}:${account}:key/${name}`;
      case 'AWS::SNS::Topic': return name;
      case 'AWS::SQS::Queue': return `arn:${PARTITION}:sqs:${region}:${account}:${logicalId}`;
      case 'AWS::StepFunctions::StateMachine': return attribute === 'Name' ? logicalId : name;
      case 'AWS::Logs::LogGroup': return `arn:${PARTITION}:logs:${region}:${account}:log-group:${logicalId}:*`;
      case 'AWS::CloudWatch::Alarm': return `arn:${PARTITION}:cloudwatch:${region}:${account}:alarm:${logicalId}`;
      case 'AWS::Scheduler::Schedule': return `arn:${PARTITION}:scheduler:${region}:${account}:schedule/default/${logicalId}`;
      case 'AWS::SecretsManager::Secret': return name;
      case 'AWS::ApiGateway::RestApi': return `arn:${PARTITION}:apigateway:${region}::/restapis/${logicalId}`;
      case 'AWS::S3::Bucket': return `arn:${PARTITION}:s3:::${name}`;
      default: return `arn:${PARTITION}:${resource.Type.split('::')[1]!.toLowerCase()}:${region}:${account}:${logicalId}`;
    }
  }

  private busName(stack: DeployedStack, props: Record<string, Json>): string {
    const bus = props['EventBusName'];
    if (bus === undefined) return '';
    const name = String(this.resolve(stack, bus));
    return name === 'default' ? '' : `${name}/`;
  }

  private pseudo(stack: DeployedStack, name: string): string {
    switch (name) {
      case 'AWS::Partition': return PARTITION;
      case 'AWS::Region': return stack.region;
      case 'AWS::AccountId': return stack.account;
      case 'AWS::URLSuffix': return URL_SUFFIX;
      case 'AWS::StackName': return stack.id;
      default: throw new Error(`pseudo parameter ${name} is not modelled`);
    }
  }

  /** A template value with every intrinsic function replaced by its deployed value. */
  resolve(stack: DeployedStack, value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, Json>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref': return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.attribute(stack, id!, attr!);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json[]];
          return (this.resolve(stack, parts) as Json[]).map(String).join(sep);
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg));
          const exported = this.exports.get(name);
          if (!exported) throw new Error(`${stack.id}: no stack exports ${name}`);
          return this.resolve(exported.stack, exported.value);
        }
        case 'Fn::Select': {
          const [index, items] = arg as [number, Json];
          return (this.resolve(stack, items) as Json[])[Number(index)];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, Json];
          return String(this.resolve(stack, text)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [String(arg), {}];
          return text.replace(/\$\{([^}!]+)\}/g, (_m, key: string) => {
            if (key in vars) return String(this.resolve(stack, vars[key]));
            const [id, attr] = key.split('.');
            return attr ? this.attribute(stack, id!, attr) : this.ref(stack, id!);
          });
        }
        default:
          if (fn.startsWith('Fn::') || fn === 'Condition') throw new Error(`${stack.id}: intrinsic ${fn} is not modelled`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stack, v)]));
  }

  private resources(type: string): { stack: DeployedStack; logicalId: string; properties: Record<string, Json> }[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {})
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, r]) => ({ stack, logicalId, properties: (this.resolve(stack, r.Properties ?? {}) as Record<string, Json>) })));
  }

  /** Every role of every deployed stack, by ARN. */
  roles(): DeployedRole[] {
    const policies = this.resources('AWS::IAM::Policy');
    return this.resources('AWS::IAM::Role').map(({ stack, logicalId, properties }) => {
      const name = this.ref(stack, logicalId);
      const inline = list(properties['Policies'] as { PolicyName: string; PolicyDocument: PolicyDocument }[]).map((p) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
      const attached = policies
        .filter((p) => p.stack === stack && list(p.properties['Roles'] as string[]).includes(name))
        .map((p) => ({ name: String(p.properties['PolicyName']), policy: p.properties['PolicyDocument'] as PolicyDocument }));
      if (list(properties['ManagedPolicyArns'] as string[]).length > 0 && !stack.id.includes('Scanner')) {
        throw new Error(`${stack.id}/${logicalId}: managed policies are not modelled`);
      }
      return { arn: this.attribute(stack, logicalId, 'Arn'), stack, logicalId, identityPolicies: [...inline, ...attached], trustPolicy: properties['AssumeRolePolicyDocument'] as PolicyDocument };
    });
  }

  role(arn: string): DeployedRole {
    const found = this.roles().filter((r) => r.arn === arn);
    // The same role may be deployed by a stack and a StackSet template alike: they must agree.
    const distinct = new Set(found.map((r) => JSON.stringify([r.identityPolicies, r.trustPolicy])));
    if (found.length === 0 || distinct.size !== 1) throw new Error(`no single deployed role ${arn} (${found.length} found, ${distinct.size} distinct)`);
    return found[0]!;
  }

  /** The resource-based policy AWS evaluates for the action on the ARN (undefined: the resource has none). */
  resourcePolicy(action: string, arn: string): PolicyDocument | undefined {
    const service = action.split(':')[0];
    if (service === 'sts') {
      if (this.roles().some((r) => r.arn === arn)) return this.role(arn).trustPolicy;
      // A role the app deploys into member accounts (the reader role) may exist in any account
      // (another OU, a leftover stack): evaluate it with the same trust policy, so that only the
      // caller's identity policy can keep it out.
      const sameName = this.roles().filter((r) => r.arn.split(':')[5] === arn.split(':')[5] && r.stack.account !== accountOf(arn));
      return sameName.length > 0 ? sameName[0]!.trustPolicy : undefined;
    }
    if (service === 'kms') {
      const key = this.resources('AWS::KMS::Key').find((k) => this.attribute(k.stack, k.logicalId, 'Arn') === arn);
      if (!key) throw new Error(`no deployed key ${arn}`);
      return key.properties['KeyPolicy'] as PolicyDocument;
    }
    if (service === 'sns') return this.mergedPolicy('AWS::SNS::TopicPolicy', 'Topics', arn, (p) => p['PolicyDocument']);
    if (service === 'sqs') {
      const queue = this.resources('AWS::SQS::Queue').find((q) => this.attribute(q.stack, q.logicalId, 'Arn') === arn);
      if (!queue) return undefined;
      return this.mergedPolicy('AWS::SQS::QueuePolicy', 'Queues', this.ref(queue.stack, queue.logicalId), (p) => p['PolicyDocument']);
    }
    if (service === 'secretsmanager') {
      const docs = this.resources('AWS::SecretsManager::ResourcePolicy').filter((p) => p.properties['SecretId'] === arn).map((p) => p.properties['ResourcePolicy'] as PolicyDocument);
      return docs.length === 0 ? undefined : { Version: '2012-10-17', Statement: docs.flatMap((d) => d.Statement) };
    }
    if (service === 'lambda') return this.functionPolicy(arn);
    if (service === 'dynamodb') {
      // A table's resource policy (AWS::DynamoDB::Table ResourcePolicy) also governs its indexes.
      const tableArn = arn.replace(/\/index\/.*$/, '');
      const table = this.resources('AWS::DynamoDB::Table').find((t) => this.attribute(t.stack, t.logicalId, 'Arn') === tableArn);
      return (table?.properties['ResourcePolicy'] as { PolicyDocument?: PolicyDocument } | undefined)?.PolicyDocument;
    }
    return undefined;
  }

  private mergedPolicy(type: string, listProperty: string, target: string, document: (p: Record<string, Json>) => Json): PolicyDocument | undefined {
    const docs = this.resources(type).filter((p) => list(p.properties[listProperty] as string[]).includes(target)).map((p) => document(p.properties) as PolicyDocument);
    return docs.length === 0 ? undefined : { Version: '2012-10-17', Statement: docs.flatMap((d) => list(d.Statement)) };
  }

  /** AWS::Lambda::Permission resources as the function policy statements Lambda writes for them. */
  private functionPolicy(functionArn: string): PolicyDocument | undefined {
    const statements = this.resources('AWS::Lambda::Permission')
      .filter(({ stack, properties }) => {
        const fn = String(properties['FunctionName']);
        return fn === functionArn || `arn:${PARTITION}:lambda:${stack.region}:${stack.account}:function:${fn}` === functionArn;
      })
      .map(({ properties }) => {
        const principal = String(properties['Principal']);
        const condition: Record<string, Record<string, string>> = {};
        if (properties['SourceArn']) condition['ArnLike'] = { 'aws:SourceArn': String(properties['SourceArn']) };
        if (properties['SourceAccount']) condition['StringEquals'] = { 'aws:SourceAccount': String(properties['SourceAccount']) };
        return {
          Effect: 'Allow',
          Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
          Action: String(properties['Action']),
          Resource: functionArn,
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        };
      });
    return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
  }

  /** Asks the policy simulator whether AWS would allow the request. */
  async evaluate(request: AccessRequest): Promise<Decision> {
    const isService = request.principal.endsWith('.amazonaws.com');
    const ours = !isService && this.roles().some((r) => r.arn === request.principal);
    // A principal the app does not deploy (another account's role) is given every permission its
    // own account could grant it: only our resource policies may stop it.
    const identityPolicies = isService ? [] : ours ? this.role(request.principal).identityPolicies
      : [{ name: 'their-own-account-allows-everything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
    const resourceAccount = accountOf(request.resource) ?? (isService ? '' : accountOf(request.principal)!);
    const resourcePolicy = this.resourcePolicy(request.action, request.resource);
    const simulation: Simulation = {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount },
        contextVariables: request.context,
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error') throw new Error(`the simulator rejected the request ${JSON.stringify(request)}: ${JSON.stringify(response.errors)}`);
    const analysis = response.resultType === 'single' ? response.result.analysis : response.results[0]?.analysis;
    return { result: response.overallResult as Decision['result'], detail: JSON.stringify({ identity: analysis?.identityAnalysis?.result, resource: analysis?.resourceAnalysis?.result, resourcePolicy: resourcePolicy ?? null }, null, 1) };
  }
}

/** The account of an ARN (the fifth field), when it has one. */
export function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
