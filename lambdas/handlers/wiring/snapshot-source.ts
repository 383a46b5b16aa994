/**
 * Where a scan's snapshot comes from: the live collectors (AWS), a snapshot file (local runs), or a
 * snapshot given inline. The live one imports the collectors only when it runs.
 */
import { readFile } from 'node:fs/promises';
import type * as Collectors from '../../adapters/collectors/capture-estate';
import type { ScanConfig } from '../../core/config';
import { parseSnapshot } from '../../core/snapshot/parse-snapshot';
import type { Snapshot } from '../../core/snapshot/schema';
import { EnvironmentError, listEnv, optionalEnv } from './environment';

export interface SnapshotRequest {
  /** Narrow the scan to these regions / accounts (the configured ones otherwise). */
  regions?: string[];
  accounts?: string[];
  config: ScanConfig;
  now: () => Date;
}

export interface SnapshotSource {
  capture(request: SnapshotRequest): Promise<Snapshot>;
}

/** Reads and validates a snapshot file on every capture. */
export function fileSnapshotSource(path: string): SnapshotSource {
  return {
    async capture() {
      return parseSnapshot(await readFile(path, 'utf8'), path);
    },
  };
}

/** Always the given (already validated) snapshot. */
export function fixedSnapshotSource(snapshot: Snapshot): SnapshotSource {
  return { capture: async () => snapshot };
}

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

/** Captures the estate through the live collectors (EC2 and SSM read calls). */
export function liveSnapshotSource(targets: LiveTargets): SnapshotSource {
  return {
    async capture(request) {
      const { captureEstate } = loadCollectors();
      return captureEstate({
        regions: request.regions ?? targets.regions,
        accounts: request.accounts ?? targets.accounts,
        ...(targets.roleName ? { roleName: targets.roleName } : {}),
        ...(targets.externalId ? { externalId: targets.externalId } : {}),
        config: request.config,
        now: request.now,
      });
    },
  };
}

/**
 * Loads the collectors (and the EC2 / SSM SDK clients) on first live capture only: local runs and
 * the API never pay for them. A deferred require, as this code is CommonJS (esbuild bundles it).
 */
function loadCollectors(): typeof Collectors {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../adapters/collectors/capture-estate') as typeof Collectors;
}
