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
  /**
   * TARGET_SOURCE is `accounts` but no TARGET_ACCOUNTS: the deployment keeps its account list in the
   * fan-out, so a scan must name its accounts (never silently scan the scanner's own account only).
   */
  accountsRequired?: boolean;
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
  const accounts = listEnv('TARGET_ACCOUNTS', env);
  return {
    regions: regions.length > 0 ? regions : [fallbackRegion!],
    accounts,
    ...(optionalEnv('TARGET_SOURCE', env) === 'accounts' && accounts.length === 0 ? { accountsRequired: true } : {}),
    ...(roleName ? { roleName } : {}),
    ...(externalId ? { externalId } : {}),
  };
}

/** Captures the estate through the live collectors (whole, or target by target). */
export function liveSnapshotSource(targets: LiveTargets): SnapshotSource {
  const optionsFor = (request: SnapshotRequest): CaptureEstateOptions => {
    if (targets.accountsRequired && !request.accounts) throw new EnvironmentError('this deployment scans its configured accounts through the Step Functions fan-out (POST /scans starts it); invoke the scan Lambda with "accounts" to scan some of them');
    return {
    regions: request.regions ?? targets.regions,
    accounts: request.accounts ?? targets.accounts,
    ...(targets.roleName ? { roleName: targets.roleName } : {}),
    ...(targets.externalId ? { externalId: targets.externalId } : {}),
    config: request.config,
    now: request.now,
    ...(request.deadline ? { deadline: request.deadline } : {}),
    };
  };
  return {
    capture: async (request) => captureEstate(optionsFor(request)),
    captureTargets: async (request, onTarget) => captureEstateTargets(optionsFor(request), onTarget),
  };
}
