/**
 * Managed prefix lists whose entries were read are judged like CIDR rules: by the reachability
 * analyzer (security groups and routes) and by security-group.no-public-ingress. UNKNOWN only when a
 * list's entries could not be read.
 */
import { DEFAULT_CONFIG } from '../../../lambdas/core/config';
import { buildEstate } from '../../../lambdas/core/estate/build-estate';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import { ReachabilityAnalyzer } from '../../../lambdas/core/network/reachability-analyzer';
import { lookupRoute } from '../../../lambdas/core/network/route-lookup';
import { parseIp } from '../../../lambdas/core/network/cidr';
import { FRONTEND_IDS, REDIS_IDS, REDIS_SG, compliantEstate, tcpPermission, type EstateBuilder } from '../../support/estate-builder';

const LIST = 'pl-0frontends000001';

function withList(estate: EstateBuilder, entries: string[] | undefined): EstateBuilder {
  return estate.mutate((t) => {
    t.ec2.SecurityGroups.find((g) => g.GroupId === REDIS_SG)!.IpPermissions = [tcpPermission(7000, 7001, { prefixListIds: [LIST] })];
    if (entries) t.managedPrefixLists = [{ PrefixListId: LIST, Entries: entries.map((Cidr) => ({ Cidr, Description: 'corporate' })) }];
  });
}

function reach(estate: EstateBuilder) {
  const { target } = buildEstate(estate.target, DEFAULT_CONFIG);
  const frontend = target.frontends.find((f) => f.instanceId === FRONTEND_IDS[0])!;
  const redis = target.redisServers.find((r) => r.instanceId === REDIS_IDS[0])!;
  return new ReachabilityAnalyzer(target).analyse([frontend], redis, [7000])[0]!.result;
}

function publicIngress(estate: EstateBuilder) {
  return evaluateSnapshot(estate.snapshot()).findings.find((f) => f.ruleId === 'security-group.no-public-ingress' && f.resourceId === REDIS_SG)!;
}

describe('security groups naming a prefix list', () => {
  it('admit the front-end when an entry holds its address', () => {
    const result = reach(withList(compliantEstate(), ['192.168.0.0/16', '10.0.2.0/24']));
    expect(result.verdict).toBe('reachable');
  });

  it('do not admit it when no entry holds its address', () => {
    const result = reach(withList(compliantEstate(), ['192.168.0.0/16']));
    expect(result).toMatchObject({ verdict: 'blocked', hop: 'destination-security-group-ingress' });
  });

  it('are unknown only when the entries were not read', () => {
    expect(reach(withList(compliantEstate(), undefined)).verdict).toBe('unknown');
  });

  it('pass security-group.no-public-ingress when every entry is private, fail it when one is public', () => {
    expect(publicIngress(withList(compliantEstate(), ['10.0.0.0/8', '192.168.0.0/16'])).status).toBe('PASS');
    const fail = publicIngress(withList(compliantEstate(), ['10.0.0.0/8', '93.184.216.0/24']));
    expect(fail).toMatchObject({ status: 'FAIL' });
    expect(fail.observed).toContain('93.184.216.0/24 (prefix list pl-0frontends000001)');
    const whole = publicIngress(withList(compliantEstate(), ['0.0.0.0/0']));
    expect(whole).toMatchObject({ status: 'FAIL', severity: 'critical' });
  });

  it('leave security-group.no-public-ingress UNKNOWN when the read failed, naming the error', () => {
    const estate = withList(compliantEstate(), undefined).error({ service: 'ec2', operation: 'GetManagedPrefixListEntries', code: 'UnauthorizedOperation', message: 'prefix list pl-0frontends000001: You are not authorized to perform this operation.' });
    const finding = publicIngress(estate);
    expect(finding.status).toBe('UNKNOWN');
    expect(finding.observed).toContain('could not be read (ec2:GetManagedPrefixListEntries UnauthorizedOperation');
  });
});

describe('routes to a prefix list', () => {
  const table = { RouteTableId: 'rtb-0a', Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a' }, { DestinationPrefixListId: LIST, TransitGatewayId: 'tgw-0a' }] };
  const ip = parseIp('172.16.5.9')!;

  it('match entry by entry when the entries were read', () => {
    const lookup = lookupRoute(table, ip, new Map([[LIST, ['172.16.0.0/12']]]));
    expect(lookup.match?.target.id).toBe('tgw-0a');
    expect(lookup.uncertainPrefixLists).toEqual([]);
    expect(lookupRoute(table, ip, new Map([[LIST, ['192.168.0.0/16']]])).match?.target.id).toBe('nat-0a');
  });

  it('stay uncertain when they were not', () => {
    expect(lookupRoute(table, ip).uncertainPrefixLists).toEqual([LIST]);
  });
});
