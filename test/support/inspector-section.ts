/** Amazon Inspector answers (inspector2 shapes, timestamps as ISO strings) for test estates. */
import type { InspectorCoveredResource, InspectorFinding, InspectorSection } from '../../lambdas/core/snapshot/schema';

export const REDIS_PACKAGE_NAMES = ['redis', 'redis-server', 'redis-sentinel', 'redis-tools', 'redis6', 'redis7'];

export function coverage(instanceId: string, statusCode = 'ACTIVE', reason?: string): InspectorCoveredResource {
  return { accountId: '111122223333', resourceId: instanceId, resourceType: 'AWS_EC2_INSTANCE', scanType: 'PACKAGE', scanMode: 'EC2_SSM_AGENT_BASED', lastScannedAt: '2026-11-24T22:10:00.000Z', scanStatus: { statusCode, reason: reason ?? (statusCode === 'ACTIVE' ? 'SUCCESSFUL' : 'UNMANAGED_EC2_INSTANCE') } };
}

export function redisFinding(instanceId: string, cve: string, severity: string, installed: { version: string; release: string; epoch?: number }, fixedIn: string): InspectorFinding {
  return {
    findingArn: `arn:aws:inspector2:eu-west-1:111122223333:finding/${cve.toLowerCase()}${instanceId.slice(-4)}`,
    awsAccountId: '111122223333',
    type: 'PACKAGE_VULNERABILITY',
    title: `${cve} - redis-server`,
    severity,
    status: 'ACTIVE',
    fixAvailable: 'YES',
    exploitAvailable: 'NO',
    firstObservedAt: '2026-10-08T03:00:00.000Z',
    lastObservedAt: '2026-11-24T22:10:00.000Z',
    updatedAt: '2026-11-24T22:10:00.000Z',
    resources: [{ id: instanceId, type: 'AWS_EC2_INSTANCE', region: 'eu-west-1' }],
    packageVulnerabilityDetails: {
      vulnerabilityId: cve,
      source: 'DEBIAN_CVE',
      vendorSeverity: severity.toLowerCase(),
      vulnerablePackages: [{ name: 'redis-server', ...installed, arch: 'X86_64', packageManager: 'OS', fixedInVersion: fixedIn, remediation: 'apt-get update && apt-get upgrade' }],
    },
  };
}

export function inspectorSection(instanceIds: string[], findings: InspectorFinding[], coveredResources: InspectorCoveredResource[]): InspectorSection {
  return { instanceIds, packageNames: REDIS_PACKAGE_NAMES, findings, coveredResources };
}
