/**
 * The scan Lambda's snapshot source: the live collectors (EC2 and SSM read calls), with the targets
 * from the environment. Imported statically, so esbuild tree-shakes the collectors and the SDK
 * clients they use like the rest of the bundle (a deferred `require()` made it wrap the whole
 * collector graph in lazy initialisers and keep every export of every SDK module it reached).
 */
import { captureEstate, captureEstateTargets, type CaptureEstateOptions } from '../../adapters/collectors/capture-estate';
import { EnvironmentError, listEnv, optionalEnv } from './environment';
import type { SnapshotRequest, SnapshotSource } from './snapshot-source';

export interface LiveTargets {
  regions: string[];
  accounts: string[];
  roleName?: string;
  externalId?: string;
}

/** TARGET_REGIONS and TARGET_ACCOUNTS (comma-separated), READER_ROLE_NAME, READER_EXTERNAL_ID. */
export function liveTargetsFromEnv(env: NodeJS.ProcessEnv = process.env): LiveTargets {
  const regions = listEnv('TARGET_REGIONS', env);
  const fallbackRegion = optionalEnv('AWS_REGION', env);
  if (regions.length === 0 && !fallbackRegion) throw new EnvironmentError('environment variable TARGET_REGIONS is required');
  const roleName = optionalEnv('READER_ROLE_NAME', env);
  const externalId = optionalEnv('READER_EXTERNAL_ID', env);
  return {
    regions: regions.length > 0 ? regions : [fallbackRegion!],
    accounts: listEnv('TARGET_ACCOUNTS', env),
    ...(roleName ? { roleName } : {}),
    ...(externalId ? { externalId } : {}),
  };
}

/** Captures the estate through the live collectors (whole, or target by target). */
export function liveSnapshotSource(targets: LiveTargets): SnapshotSource {
  const optionsFor = (request: SnapshotRequest): CaptureEstateOptions => ({
    regions: request.regions ?? targets.regions,
    accounts: request.accounts ?? targets.accounts,
    ...(targets.roleName ? { roleName: targets.roleName } : {}),
    ...(targets.externalId ? { externalId: targets.externalId } : {}),
    config: request.config,
    now: request.now,
    ...(request.deadline ? { deadline: request.deadline } : {}),
  });
  return {
    capture: (request) => captureEstate(optionsFor(request)),
    captureTargets: (request, onTarget) => captureEstateTargets(optionsFor(request), onTarget),
  };
}
