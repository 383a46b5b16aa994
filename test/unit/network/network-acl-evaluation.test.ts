import { parseIp } from '../../../lambdas/core/network/cidr';
import { evaluateNetworkAcl } from '../../../lambdas/core/network/network-acl-evaluation';
import { singlePort, type PortRange } from '../../../lambdas/core/network/port-range';
import type { NetworkAcl, NetworkAclEntry } from '../../../lambdas/core/snapshot/schema';
import { defaultAclEntries } from '../../support/estate-builder';

const FE_IP = parseIp('10.0.2.21')!;

function acl(entries: NetworkAclEntry[]): NetworkAcl {
  return { NetworkAclId: 'acl-0test', Entries: entries };
}

function entry(ruleNumber: number, action: 'allow' | 'deny', cidr: string, ports?: PortRange, egress = false, protocol = '6'): NetworkAclEntry {
  return {
    RuleNumber: ruleNumber,
    Protocol: ports ? protocol : '-1',
    RuleAction: action,
    Egress: egress,
    ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
    ...(ports ? { PortRange: { From: ports.from, To: ports.to } } : {}),
  };
}

const IMPLICIT_DENY_IN = entry(32767, 'deny', '0.0.0.0/0');

describe('evaluateNetworkAcl', () => {
  it('allows through a default ACL', () => {
    expect(evaluateNetworkAcl(acl(defaultAclEntries()), 'inbound', FE_IP, singlePort(7000)).verdict).toBe('allow');
  });

  it.each<[string, NetworkAclEntry[], 'allow' | 'deny', number | '*' | undefined]>([
    ['a lower-numbered deny beats a higher allow', [entry(200, 'allow', '0.0.0.0/0'), entry(100, 'deny', '10.0.2.0/24', singlePort(7000)), IMPLICIT_DENY_IN], 'deny', 100],
    ['a lower-numbered allow beats a higher deny', [entry(200, 'deny', '10.0.2.0/24', singlePort(7000)), entry(100, 'allow', '10.0.0.0/16'), IMPLICIT_DENY_IN], 'allow', 100],
    ['a deny for another source does not apply', [entry(100, 'deny', '10.0.3.0/24'), entry(110, 'allow', '10.0.0.0/16', { from: 7000, to: 7001 }), IMPLICIT_DENY_IN], 'allow', 110],
    ['a deny for other ports does not apply', [entry(100, 'deny', '0.0.0.0/0', singlePort(22)), entry(110, 'allow', '0.0.0.0/0'), IMPLICIT_DENY_IN], 'allow', 110],
    ['no matching entry meets the implicit deny', [entry(100, 'allow', '10.0.3.0/24'), IMPLICIT_DENY_IN], 'deny', '*'],
    ['no entries at all still deny', [], 'deny', '*'],
    ['UDP entries do not allow TCP', [entry(100, 'allow', '0.0.0.0/0', singlePort(7000), false, '17'), IMPLICIT_DENY_IN], 'deny', '*'],
    ['egress entries do not govern inbound', [entry(100, 'allow', '0.0.0.0/0', undefined, true), IMPLICIT_DENY_IN], 'deny', '*'],
  ])('%s', (_, entries, verdict, ruleNumber) => {
    const decision = evaluateNetworkAcl(acl(entries), 'inbound', FE_IP, singlePort(7000));
    expect(decision.verdict).toBe(verdict);
    expect(decision.ruleNumber).toBe(ruleNumber);
  });

  it('names the ACL and the deny rule number', () => {
    const decision = evaluateNetworkAcl(acl([entry(90, 'deny', '10.0.2.0/24', singlePort(7000)), entry(100, 'allow', '0.0.0.0/0')]), 'inbound', FE_IP, singlePort(7000));
    expect(decision.detail).toContain('network ACL acl-0test inbound rule 90');
  });

  describe('port ranges (return traffic to ephemeral ports)', () => {
    const windows: PortRange = { from: 49152, to: 65535 };
    it('allows when allows cover the whole range before any deny', () => {
      const entries = [entry(100, 'allow', '10.0.0.0/16', { from: 49152, to: 60000 }, true), entry(110, 'allow', '10.0.0.0/16', { from: 60001, to: 65535 }, true), entry(120, 'deny', '0.0.0.0/0', undefined, true)];
      expect(evaluateNetworkAcl(acl(entries), 'outbound', FE_IP, windows).verdict).toBe('allow');
    });

    it('blocks when only part of the range is allowed (Linux range opened, Windows client)', () => {
      const entries = [entry(100, 'allow', '10.0.0.0/16', { from: 32768, to: 60999 }, true), entry(32767, 'deny', '0.0.0.0/0', undefined, true)];
      const decision = evaluateNetworkAcl(acl(entries), 'outbound', FE_IP, windows);
      expect(decision.verdict).toBe('deny');
      expect(decision.ruleNumber).toBe('*');
      expect(decision.detail).toContain('TCP 61000-65535');
    });

    it('blocks when a deny inside the range comes first', () => {
      const entries = [entry(50, 'deny', '0.0.0.0/0', singlePort(50000), true), entry(100, 'allow', '0.0.0.0/0', undefined, true)];
      const decision = evaluateNetworkAcl(acl(entries), 'outbound', FE_IP, windows);
      expect(decision.verdict).toBe('deny');
      expect(decision.ruleNumber).toBe(50);
    });

    it('ignores a deny that only covers ports an earlier allow already took', () => {
      const entries = [entry(100, 'allow', '0.0.0.0/0', { from: 1024, to: 65535 }, true), entry(110, 'deny', '0.0.0.0/0', singlePort(50000), true)];
      expect(evaluateNetworkAcl(acl(entries), 'outbound', FE_IP, windows).verdict).toBe('allow');
    });
  });

  describe('IPv6', () => {
    const v6 = parseIp('2001:db8:2::21')!;
    it('uses Ipv6CidrBlock entries for IPv6 traffic and skips IPv4 ones', () => {
      const entries = [entry(100, 'allow', '0.0.0.0/0'), entry(101, 'allow', '::/0'), IMPLICIT_DENY_IN, entry(32768, 'deny', '::/0')];
      const decision = evaluateNetworkAcl(acl(entries), 'inbound', v6, singlePort(7000));
      expect(decision).toMatchObject({ verdict: 'allow', ruleNumber: 101 });
    });

    it('denies IPv6 traffic an IPv4-only ACL never mentions', () => {
      expect(evaluateNetworkAcl(acl(defaultAclEntries()), 'inbound', v6, singlePort(7000)).verdict).toBe('deny');
    });
  });

  it('says unknown when a consulted entry has an unreadable CIDR', () => {
    expect(evaluateNetworkAcl(acl([{ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '10.0.0/16' }]), 'inbound', FE_IP, singlePort(7000)).verdict).toBe('unknown');
  });
});
