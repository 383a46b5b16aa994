/** Runs one rule on a built test estate and returns its findings, optionally for one resource. */
import { DEFAULT_CONFIG, type ScanConfig } from '../../lambdas/core/config';
import { buildEstate } from '../../lambdas/core/estate/build-estate';
import type { Finding } from '../../lambdas/core/model';
import type { RuleDefinition } from '../../lambdas/core/rules/rule';
import type { EstateBuilder } from './estate-builder';

export function runRule(rule: RuleDefinition, estate: EstateBuilder, config: ScanConfig = DEFAULT_CONFIG): Finding[] {
  return rule.evaluate(buildEstate(estate.target, config).target);
}

export function findingFor(rule: RuleDefinition, estate: EstateBuilder, resourceId: string, config?: ScanConfig): Finding {
  const found = runRule(rule, estate, config).filter((f) => f.resourceId === resourceId);
  if (found.length !== 1) throw new Error(`expected one ${rule.id} finding for ${resourceId}, got ${found.length}`);
  return found[0]!;
}

/** Sets a tag on an instance of the estate (adds it when absent). */
export function setInstanceTag(estate: EstateBuilder, instanceId: string, key: string, value: string | undefined): EstateBuilder {
  return estate.mutate((t) => {
    for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) {
      if (i.InstanceId !== instanceId) continue;
      i.Tags = (i.Tags ?? []).filter((tag) => tag.Key !== key);
      if (value !== undefined) i.Tags.push({ Key: key, Value: value });
    }
  });
}

/** Changes an instance in place. */
export function changeInstance(estate: EstateBuilder, instanceId: string, change: (instance: import('../../lambdas/core/snapshot/schema').Instance) => void): EstateBuilder {
  return estate.mutate((t) => {
    for (const r of t.ec2.Reservations) for (const i of r.Instances ?? []) if (i.InstanceId === instanceId) change(i);
  });
}
