import { clusterZoneSpreadRule } from '../../../lambdas/core/rules/cluster-zone-spread';
import { REQUIREMENT } from '../../../lambdas/core/requirements';
import { ACCOUNT, REDIS_IDS, REGION, compliantEstate, type EstateBuilder } from '../../support/estate-builder';
import { changeInstance, findingFor, setInstanceTag } from '../../support/evaluate-rule';
import { HEALTHY_LAYOUT, withClusterProbe, type NodeSpec, type ServerSpec } from '../../support/cluster-probe-rows';
import { ZONED_REDIS_IPS, highlyAvailableEstate } from '../../support/highly-available-estate';
import { ZONE_SUBNETS, acrossZones } from '../../support/zone-spread';

const CLUSTER = `${ACCOUNT}/${REGION}/sessions-prod`;
const SERVERS: ServerSpec[] = REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: `10.0.1.${11 + i}` }));

/** Places the three servers in these zones (DescribeInstances Placement). */
function inZones(estate: EstateBuilder, zones: string[]): EstateBuilder {
  REDIS_IDS.forEach((id, i) => changeInstance(estate, id, (instance) => Object.assign(instance, { Placement: { AvailabilityZone: zones[i], Tenancy: 'default' } })));
  return estate;
}

describe('cluster.zone-spread', () => {
  it('passes three servers in three zones (a subnet each) with one master each, citing the AWS guidance', () => {
    const f = findingFor(clusterZoneSpreadRule, highlyAvailableEstate(), CLUSTER);
    expect(f).toMatchObject({ status: 'PASS', severity: 'low', requirement: REQUIREMENT.prodHighAvailability });
    expect(f.observed).toContain('masters per zone: eu-west-1a 1, eu-west-1b 1, eu-west-1c 1');
    expect(f.required).toContain('REL10-BP01');
  });

  it('fails a cluster whose servers are all in one zone (the subnet zone when Placement is absent)', () => {
    const f = findingFor(clusterZoneSpreadRule, withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('All 3 servers of sessions-prod are in one Availability Zone (eu-west-1a:');
  });

  it('fails when one zone holds a majority of the masters (two of the three subnets in one zone)', () => {
    const estate = highlyAvailableEstate().mutate((t) => (t.ec2.Subnets.find((s) => s.SubnetId === ZONE_SUBNETS[1].subnetId)!.AvailabilityZone = 'eu-west-1a'));
    const f = findingFor(clusterZoneSpreadRule, estate, CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eu-west-1a holds 2 of 3 masters');
    expect(f.remediation).toContain('CLUSTER FAILOVER');
  });

  it('is UNKNOWN when the zones are spread but where the masters run is not known', () => {
    const f = findingFor(clusterZoneSpreadRule, acrossZones(compliantEstate()), CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('where the masters run is not known');
  });

  it('is UNKNOWN when no zone is known', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.Subnets = t.ec2.Subnets.map((s) => ({ ...s, AvailabilityZone: undefined }))));
    const f = findingFor(clusterZoneSpreadRule, estate, CLUSTER);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('is not in the snapshot');
  });

  it('reads the zone from DescribeInstances Placement when present', () => {
    const estate = inZones(withClusterProbe(compliantEstate(), SERVERS, HEALTHY_LAYOUT), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(findingFor(clusterZoneSpreadRule, estate, CLUSTER).status).toBe('PASS');
  });

  it('is NOT_APPLICABLE to non-production clusters', () => {
    const estate = compliantEstate();
    for (const id of REDIS_IDS) setInstanceTag(estate, id, 'Environment', 'Development');
    expect(findingFor(clusterZoneSpreadRule, estate, CLUSTER).status).toBe('NOT_APPLICABLE');
  });

  it('counts two masters on one server in a two-zone spread against that zone', () => {
    const layout: NodeSpec[] = [
      { server: 0, port: 7000, slots: '0-5460' },
      { server: 0, port: 7001, slots: '5461-10922' },
      { server: 2, port: 7000, slots: '10923-16383' },
      { server: 1, port: 7000, replicaOf: 0 },
      { server: 1, port: 7001, replicaOf: 1 },
      { server: 2, port: 7001, replicaOf: 2 },
    ];
    const f = findingFor(clusterZoneSpreadRule, withClusterProbe(acrossZones(compliantEstate()), REDIS_IDS.map((instanceId, i) => ({ instanceId, ip: ZONED_REDIS_IPS[i]! })), layout), CLUSTER);
    expect(f.status).toBe('FAIL');
    expect(f.observed).toContain('eu-west-1a holds 2 of 3 masters');
  });
});
