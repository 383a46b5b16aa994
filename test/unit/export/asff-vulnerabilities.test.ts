import { toAsffFinding } from '../../../lambdas/core/export/asff';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import type { ExportItem } from '../../../lambdas/core/export/export-items';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { withPosture, OPEN_UPSTREAM_SERVER } from '../../support/posture-rows';
import { redisFinding } from '../../support/inspector-section';

function item(finding: ReturnType<typeof evaluateSnapshot>['findings'][number]): ExportItem {
  return { finding: { ...finding, scanId: 's', ruleStatus: finding.status }, firstObservedAt: '2026-11-25T02:00:00.000Z', lastObservedAt: '2026-11-25T02:00:00.000Z', updatedAt: '2026-11-25T02:00:00.000Z', gone: false, resolved: false } as ExportItem;
}

describe('ASFF Vulnerabilities', () => {
  const estate = withPosture(compliantEstate(), REDIS_IDS[0], '10.0.1.11', [OPEN_UPSTREAM_SERVER]).mutate((t) => {
    t.inspector!.findings.push(redisFinding(REDIS_IDS[1], 'CVE-2025-49844', 'CRITICAL', { epoch: 5, version: '7.0.15', release: '1~deb12u5' }, '5:7.0.15-1~deb12u6'));
  });
  const findings = evaluateSnapshot(estate.snapshot()).findings;
  const of = (ruleId: string, resourceId: string) => toAsffFinding(item(findings.find((f) => f.ruleId === ruleId && f.resourceId === resourceId)!));

  it('lists the CVE ids of a failing redis.scripting-exposure and redis.known-vulnerabilities finding', () => {
    expect(of('redis.scripting-exposure', REDIS_IDS[0]).Vulnerabilities).toEqual(['CVE-2024-31449', 'CVE-2024-46981', 'CVE-2025-49844', 'CVE-2025-46817', 'CVE-2025-46818', 'CVE-2025-46819'].map((Id) => ({ Id })));
    expect(of('redis.known-vulnerabilities', REDIS_IDS[1]).Vulnerabilities).toEqual([{ Id: 'CVE-2025-49844' }]);
  });

  it('leaves it out of passing findings and of other rules', () => {
    expect(of('redis.known-vulnerabilities', REDIS_IDS[2]).Vulnerabilities).toBeUndefined();
    expect(of('redis.authentication', REDIS_IDS[0]).Vulnerabilities).toBeUndefined();
  });
});
