import { parseIp } from '../../../lambdas/core/network/cidr';
import { singlePort } from '../../../lambdas/core/network/port-range';
import { evaluateSecurityGroups, type TrafficPeer } from '../../../lambdas/core/network/security-group-evaluation';
import type { IpPermission, SecurityGroup } from '../../../lambdas/core/snapshot/schema';
import { ALLOW_ALL_EGRESS, tcpPermission } from '../../support/estate-builder';

function group(id: string, ingress: IpPermission[], egress: IpPermission[] = [ALLOW_ALL_EGRESS]): SecurityGroup {
  return { GroupId: id, GroupName: `${id}-name`, IpPermissions: ingress, IpPermissionsEgress: egress };
}

function peer(ip: string, groupIds: string[] = []): TrafficPeer {
  return { ip: parseIp(ip)!, groupIds: new Set(groupIds), label: ip };
}

const FE = 'sg-0front';
const REDIS = 'sg-0redis';

describe('evaluateSecurityGroups (ingress)', () => {
  it.each<[string, IpPermission[], TrafficPeer, number, 'allow' | 'deny' | 'unknown']>([
    ['group reference matches a peer carrying the group', [tcpPermission(7000, 7001, { groupIds: [FE] })], peer('10.0.2.21', [FE]), 7000, 'allow'],
    ['group reference does not match a peer without the group', [tcpPermission(7000, 7001, { groupIds: [FE] })], peer('10.0.2.21', ['sg-0other']), 7000, 'deny'],
    ['port outside FromPort/ToPort', [tcpPermission(7000, 7000, { groupIds: [FE] })], peer('10.0.2.21', [FE]), 7001, 'deny'],
    ['CIDR holding the peer', [tcpPermission(7000, 7001, { cidrs: ['10.0.2.0/24'] })], peer('10.0.2.21'), 7001, 'allow'],
    ['CIDR not holding the peer', [tcpPermission(7000, 7001, { cidrs: ['10.0.3.0/24'] })], peer('10.0.2.21'), 7000, 'deny'],
    ['IPv4 range does not admit an IPv6 peer', [tcpPermission(7000, 7001, { cidrs: ['0.0.0.0/0'] })], peer('2001:db8::5'), 7000, 'deny'],
    ['IPv6 range admits an IPv6 peer', [tcpPermission(7000, 7001, { ipv6Cidrs: ['2001:db8::/56'] })], peer('2001:db8::5'), 7000, 'allow'],
    ['protocol -1 opens every port', [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/16' }] }], peer('10.0.2.21'), 7000, 'allow'],
    ["protocol '6' is TCP", [{ IpProtocol: '6', FromPort: 7000, ToPort: 7001, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }], peer('10.0.2.21'), 7000, 'allow'],
    ['UDP does not open TCP', [{ IpProtocol: 'udp', FromPort: 7000, ToPort: 7001, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }], peer('10.0.2.21'), 7000, 'deny'],
    ['prefix list alone => unknown', [tcpPermission(7000, 7001, { prefixListIds: ['pl-0abc'] })], peer('10.0.2.21'), 7000, 'unknown'],
    ['prefix list plus a matching group => allow', [tcpPermission(7000, 7001, { prefixListIds: ['pl-0abc'] }), tcpPermission(7000, 7000, { groupIds: [FE] })], peer('10.0.2.21', [FE]), 7000, 'allow'],
    ['prefix list on another port => deny', [tcpPermission(22, 22, { prefixListIds: ['pl-0abc'] })], peer('10.0.2.21'), 7000, 'deny'],
    ['no rules => deny', [], peer('10.0.2.21', [FE]), 7000, 'deny'],
  ])('%s', (_, ingress, from, port, verdict) => {
    expect(evaluateSecurityGroups([group(REDIS, ingress)], 'ingress', from, singlePort(port)).verdict).toBe(verdict);
  });

  it('takes the union of every group on the interface', () => {
    const groups = [group(REDIS, [tcpPermission(17000, 17001, { groupIds: [REDIS] })]), group('sg-0extra', [tcpPermission(7000, 7001, { groupIds: [FE] })])];
    const decision = evaluateSecurityGroups(groups, 'ingress', peer('10.0.2.21', [FE]), singlePort(7001));
    expect(decision.verdict).toBe('allow');
    expect(decision.detail).toContain('sg-0extra');
  });

  it('names the groups and the flow when it denies', () => {
    const decision = evaluateSecurityGroups([group(REDIS, [])], 'ingress', peer('10.0.2.21', [FE]), singlePort(7000));
    expect(decision.detail).toBe(`No inbound rule of security group ${REDIS} (${REDIS}-name) allows TCP 7000 from 10.0.2.21 (groups ${FE}).`);
  });

  it('names the prefix list when it cannot decide', () => {
    const decision = evaluateSecurityGroups([group(REDIS, [tcpPermission(7000, 7001, { prefixListIds: ['pl-0abc'] })])], 'ingress', peer('10.0.2.21'), singlePort(7000));
    expect(decision.detail).toContain('pl-0abc');
  });
});

describe('evaluateSecurityGroups (egress)', () => {
  it('allows with the default allow-all egress rule', () => {
    expect(evaluateSecurityGroups([group(FE, [])], 'egress', peer('10.0.1.11', [REDIS]), singlePort(7000)).verdict).toBe('allow');
  });

  it('denies when egress is restricted to other ports', () => {
    const restricted = group(FE, [], [tcpPermission(443, 443, { cidrs: ['0.0.0.0/0'] })]);
    expect(evaluateSecurityGroups([restricted], 'egress', peer('10.0.1.11', [REDIS]), singlePort(7000)).verdict).toBe('deny');
  });

  it('allows egress by reference to the destination group', () => {
    const restricted = group(FE, [], [tcpPermission(7000, 7001, { groupIds: [REDIS] })]);
    expect(evaluateSecurityGroups([restricted], 'egress', peer('10.0.1.11', [REDIS]), singlePort(7001)).verdict).toBe('allow');
    expect(evaluateSecurityGroups([restricted], 'egress', peer('10.0.1.11', ['sg-0notredis']), singlePort(7001)).verdict).toBe('deny');
  });

  it('denies everything when a group has no egress rule', () => {
    expect(evaluateSecurityGroups([group(FE, [], [])], 'egress', peer('10.0.1.11', [REDIS]), singlePort(7000)).verdict).toBe('deny');
  });

  it('requires a port range to be covered by the union of rules', () => {
    const split = group(FE, [], [tcpPermission(7000, 7000, { cidrs: ['10.0.0.0/16'] }), tcpPermission(7001, 7001, { groupIds: [REDIS] })]);
    expect(evaluateSecurityGroups([split], 'egress', peer('10.0.1.11', [REDIS]), { from: 7000, to: 7001 }).verdict).toBe('allow');
    expect(evaluateSecurityGroups([split], 'egress', peer('10.0.1.11', []), { from: 7000, to: 7001 }).verdict).toBe('deny');
  });
});
