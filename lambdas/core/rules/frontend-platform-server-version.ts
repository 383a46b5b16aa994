/**
 * frontend.platform-server-version: every OutSystems front-end runs Platform Server 11.23 or later,
 * read from its AWS:Application inventory (the Windows uninstall entry and its DisplayVersion).
 */
import type { EstateTarget, Server } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { parseWindowsVersion } from '../versions/application-version';
import { compareVersions, isAtLeast } from '../versions/compare-versions';
import { formatComponents, type ParsedVersion } from '../versions/parsed-version';
import { platformServerRows } from '../versions/platform-server-package';
import { APPLICATION_INVENTORY, inventoryRows } from './inventory-rows';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';

export const MINIMUM_PLATFORM_SERVER = [11, 23] as const;
const REQUIRED = 'OutSystems Platform Server 11.23 or later.';

export const frontendPlatformServerVersionRule: RuleDefinition = {
  id: 'frontend.platform-server-version',
  resourceType: 'AWS::EC2::Instance',
  title: 'Front-end runs Platform Server 11.23 or later',
  requirement: REQUIREMENT.platformServer,
  evaluate(target) {
    return target.frontends.map((frontend) => serverFinding(frontendPlatformServerVersionRule, frontend, frontendVerdict(target, frontend)));
  },
};

function frontendVerdict(target: EstateTarget, frontend: Server): Verdict {
  const severity = frontend.production ? 'high' : 'medium';
  const unknown = (observed: string): Verdict => ({
    status: 'UNKNOWN',
    severity,
    observed,
    required: REQUIRED,
    remediation: `Make SSM Inventory collect ${APPLICATION_INVENTORY} on ${frontend.instanceId} (State Manager association with AWS-GatherSoftwareInventory), or check the Platform Server version in Service Center > Administration > Version; then scan again.`,
  });
  const lookup = inventoryRows(target, frontend.instanceId, APPLICATION_INVENTORY);
  if (!lookup.found) return unknown(lookup.reason);
  const rows = platformServerRows(lookup.rows);
  if (rows.length === 0) return unknown(`The ${APPLICATION_INVENTORY} inventory of ${frontend.instanceId} lists ${lookup.rows.length} applications, none of them OutSystems Platform Server (publisher OutSystems).`);

  const readings = rows.map((row) => ({ name: row['Name'] ?? '', raw: row['Version'] ?? '', version: parseWindowsVersion(row['Version'] ?? '') }));
  const readable = readings.filter((r): r is typeof r & { version: ParsedVersion } => r.version !== undefined);
  const listed = readings.map((r) => `${r.name} "${r.raw}"${r.version ? ` (${formatComponents(r.version)})` : ''}`).join(', ');
  if (readable.length === 0) return unknown(`Installed: ${listed}; the version cannot be read.`);
  // An uninstall entry left behind by an upgrade must not hide the installed release: judge the newest.
  const newest = readable.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
  const observed = `Installed: ${listed} (${APPLICATION_INVENTORY} inventory).${readings.length > 1 ? ` Judged on the newest, ${formatComponents(newest.version)}.` : ''}`;
  if (isAtLeast(newest.version, MINIMUM_PLATFORM_SERVER)) {
    return { status: 'PASS', severity, observed, required: REQUIRED, remediation: 'None needed. Keep Platform Server at 11.23 or later on every front-end.' };
  }
  return {
    status: 'FAIL',
    severity,
    observed,
    required: REQUIRED,
    remediation: `Upgrade OutSystems Platform Server on ${frontend.instanceId} to 11.23 or later (run the 11.23+ Platform Server installer and the Configuration Tool on every front-end of the environment, then apply the settings) before using Redis for session storage.`,
  };
}
