/**
 * Captures one target (account x region) into a snapshot target: credentials (default chain or
 * AssumeRole), EC2 then SSM collection, the errors met and the API calls made. Never throws for an
 * AWS failure: an AssumeRole failure gives an empty target with one `sts:AssumeRole` error.
 */
import type { TagConventions } from '../../core/config';
import type { CollectionError, SnapshotInput } from '../../core/snapshot/schema';
import { ApiCallCounter } from './api-call-counter';
import type { ClientOptions } from './client-options';
import { createTargetClients } from './client-factory';
import { toCollectionError } from './collection-error';
import { collectEc2 } from './ec2-collector';
import { captureNetworkMetrics } from './cloudwatch-collector';
import { captureInspector } from './inspector-collector';
import { throttleSignalPlugin } from './adaptive-concurrency';
import { NO_DEADLINE, type CaptureDeadline } from './capture-deadline';
import { collectSsmUntil, inventoryConcurrency, type SsmCollectionOptions } from './ssm-collector';
import { assumeReaderRole, type AssumeRoleSettings } from './target-credentials';
import { mergeApiCalls, type TargetContinuation } from './target-continuation';

export type CapturedTarget = SnapshotInput['targets'][number];

export interface TargetSpec {
  accountId: string;
  region: string;
}

export interface CaptureTargetOptions extends ClientOptions, SsmCollectionOptions {
  tags: TagConventions;
  /** Assume this role in the target account; without it, the default credential chain is used. */
  assumeRole?: AssumeRoleSettings;
  /** The end of the CloudWatch metrics window (default now). */
  now?: () => Date;
}

export async function captureTarget(spec: TargetSpec, options: CaptureTargetOptions): Promise<CapturedTarget> {
  return (await captureTargetUntil(spec, options, NO_DEADLINE)).target;
}

/** A capture that stopped at its deadline carries `continuation`: pass it back to continue (its target is partial until then). */
export interface TargetCaptureProgress {
  target: CapturedTarget;
  continuation?: TargetContinuation;
}

/**
 * captureTarget with a deadline: once it expires no more SSM inventory reads start, and the result
 * carries a continuation; `resume` continues one (EC2 and DescribeInstanceInformation are not read
 * again), so the pieces give the same target as one uninterrupted capture. API calls add up.
 */
export async function captureTargetUntil(spec: TargetSpec, options: CaptureTargetOptions, deadline: CaptureDeadline, resume?: TargetContinuation): Promise<TargetCaptureProgress> {
  const counter = new ApiCallCounter();
  const errors: CollectionError[] = resume ? (resume.target.errors ??= []) : [];
  const target: CapturedTarget = resume ? resume.target : {
    accountId: spec.accountId,
    region: spec.region,
    ec2: { Reservations: [], InstanceTypes: [], Subnets: [], RouteTables: [], SecurityGroups: [], NetworkAcls: [], Volumes: [], NetworkInterfaces: [] },
    ssm: { InstanceInformationList: [], Entities: [] },
    errors,
    apiCalls: {},
  };
  let credentials;
  if (options.assumeRole) {
    try {
      credentials = await assumeReaderRole(spec.accountId, spec.region, options.assumeRole, counter, options);
    } catch (error) {
      errors.push(toCollectionError('sts', 'AssumeRole', error));
      // A continuation whose role can no longer be assumed ends here: the reads not done are failures.
      if (resume) errors.push(toCollectionError('ssm', 'ListInventoryEntries', new Error(`not read: ${resume.inventory.pending.length} instance(s) left when the capture was continued and the role could not be assumed`)));
      target.apiCalls = mergeApiCalls(resume?.target.apiCalls, counter.toRecord());
      return { target };
    }
  }
  const clients = createTargetClients(spec.region, credentials, counter, options);
  const ssmOptions = options.inventoryConcurrency !== undefined ? { inventoryConcurrency: options.inventoryConcurrency } : {};
  const concurrency = inventoryConcurrency(ssmOptions);
  clients.ssm.middlewareStack.use(throttleSignalPlugin(concurrency));
  let progress: TargetCaptureProgress;
  try {
    if (resume) {
      const collected = await collectSsmUntil(clients.ssm, [], errors, ssmOptions, { concurrency, deadline, resume: { ssm: target.ssm, cursor: resume.inventory } });
      target.ssm = collected.ssm;
      progress = collected.cursor ? { target, continuation: { target, inventory: collected.cursor } } : { target };
    } else {
      const collected = await collectEc2(clients.ec2, options.tags, errors);
      target.ec2 = collected.ec2;
      if (collected.managedPrefixLists) target.managedPrefixLists = collected.managedPrefixLists;
      options.progress?.instancesRead(collected.ec2.Reservations.reduce((n, r) => n + (r.Instances?.length ?? 0), 0));
      const metrics = await captureNetworkMetrics(spec.region, credentials, counter, options, collected.instances.filter((i) => i.role === 'redis').map((i) => i.instanceId), errors);
      if (metrics) target.cloudwatch = metrics;
      const inspector = await captureInspector(spec.region, credentials, counter, options, collected.instances.filter((i) => i.role === 'redis').map((i) => i.instanceId), errors);
      if (inspector) target.inspector = inspector;
      const ssm = await collectSsmUntil(clients.ssm, collected.instances, errors, ssmOptions, { concurrency, deadline });
      target.ssm = ssm.ssm;
      progress = ssm.cursor ? { target, continuation: { target, inventory: ssm.cursor } } : { target };
    }
  } finally {
    clients.destroy();
  }
  target.apiCalls = mergeApiCalls(resume?.target.apiCalls, counter.toRecord());
  return progress;
}
