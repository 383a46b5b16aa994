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
import { collectSsm, type SsmCollectionOptions } from './ssm-collector';
import { assumeReaderRole, type AssumeRoleSettings } from './target-credentials';

export type CapturedTarget = SnapshotInput['targets'][number];

export interface TargetSpec {
  accountId: string;
  region: string;
}

export interface CaptureTargetOptions extends ClientOptions, SsmCollectionOptions {
  tags: TagConventions;
  /** Assume this role in the target account; without it, the default credential chain is used. */
  assumeRole?: AssumeRoleSettings;
}

export async function captureTarget(spec: TargetSpec, options: CaptureTargetOptions): Promise<CapturedTarget> {
  const counter = new ApiCallCounter();
  const errors: CollectionError[] = [];
  const target: CapturedTarget = {
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
      target.apiCalls = counter.toRecord();
      return target;
    }
  }
  const clients = createTargetClients(spec.region, credentials, counter, options);
  try {
    const collected = await collectEc2(clients.ec2, options.tags, errors);
    target.ec2 = collected.ec2;
    target.ssm = await collectSsm(clients.ssm, collected.instances, errors, options.inventoryConcurrency !== undefined ? { inventoryConcurrency: options.inventoryConcurrency } : {});
  } finally {
    clients.destroy();
  }
  target.apiCalls = counter.toRecord();
  return target;
}
