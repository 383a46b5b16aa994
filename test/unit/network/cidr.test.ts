import { cidrContainsCidr, cidrContainsIp, cidrsOverlap, isAnyAddress, parseCidr, parseIp } from '../../../lambdas/core/network/cidr';

function contains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIp(ip);
  if (!block || !address) throw new Error(`bad test input ${cidr} ${ip}`);
  return cidrContainsIp(block, address);
}

describe('parseIp', () => {
  it.each([
    ['10.0.1.11', 4, 0x0a00010bn],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['2001:DB8:0:0:0:0:0:1', 6, (0x20010db8n << 96n) | 1n],
    ['2001:db8::1', 6, (0x20010db8n << 96n) | 1n],
    ['fe80::1:2', 6, (0xfe80n << 112n) | (1n << 16n) | 2n],
    ['::ffff:10.0.0.1', 6, (0xffffn << 32n) | 0x0a000001n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
  ])('%s => IPv%i %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value, text });
  });

  it.each(['', '10.0.0', '10.0.0.256', '10.0.0.1.2', 'a.b.c.d', '1::2::3', '2001:db8::g', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0', '10.0.0.-1'])('rejects %p', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('reads a bare host address as a full-length prefix', () => {
    expect(parseCidr('10.0.1.11')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr('2001:db8::5')).toMatchObject({ family: 6, prefix: 128 });
  });

  it('clears host bits under the prefix, as AWS canonicalises blocks', () => {
    expect(parseCidr('10.0.1.11/24')!.network).toBe(parseCidr('10.0.1.0/24')!.network);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'x/8'])('rejects %p', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('knows /0 means any address of its family', () => {
    expect(isAnyAddress(parseCidr('0.0.0.0/0')!)).toBe(true);
    expect(isAnyAddress(parseCidr('::/0')!)).toBe(true);
    expect(isAnyAddress(parseCidr('10.0.0.0/8')!)).toBe(false);
  });
});

describe('cidrContainsIp', () => {
  it.each([
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false], // never across families
    ['::/0', '2001:db8::1', true],
    ['::/0', '10.0.0.1', false],
    ['10.0.1.0/24', '10.0.1.0', true],
    ['10.0.1.0/24', '10.0.1.255', true],
    ['10.0.1.0/24', '10.0.2.0', false],
    ['10.0.1.0/24', '10.0.0.255', false],
    ['10.0.1.11/32', '10.0.1.11', true],
    ['10.0.1.11/32', '10.0.1.12', false],
    ['10.0.1.11', '10.0.1.11', true],
    ['10.0.0.0/15', '10.1.255.255', true],
    ['10.0.0.0/15', '10.2.0.0', false],
    ['2001:db8:1::/48', '2001:db8:1:ffff::1', true],
    ['2001:db8:1::/48', '2001:db8:2::1', false],
    ['2001:db8::/64', '2001:0db8:0000:0000:ffff:ffff:ffff:ffff', true],
    ['2001:db8::1/128', '2001:db8::1', true],
    ['2001:db8::1/128', '2001:db8::2', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(contains(cidr, ip)).toBe(expected);
  });
});

describe('block relations', () => {
  it('nests and overlaps', () => {
    const vpc = parseCidr('10.0.0.0/16')!;
    const subnet = parseCidr('10.0.1.0/24')!;
    const other = parseCidr('10.1.0.0/16')!;
    expect(cidrContainsCidr(vpc, subnet)).toBe(true);
    expect(cidrContainsCidr(subnet, vpc)).toBe(false);
    expect(cidrsOverlap(subnet, vpc)).toBe(true);
    expect(cidrsOverlap(vpc, other)).toBe(false);
    expect(cidrContainsCidr(parseCidr('0.0.0.0/0')!, parseCidr('::/0')!)).toBe(false);
  });
});
