import { instanceDiskRule } from '../../../lambdas/core/rules/instance-disk';
import { REDIS_IDS, compliantEstate } from '../../support/estate-builder';
import { findingFor } from '../../support/evaluate-rule';

const redis = REDIS_IDS[0];

function withVolumeSizes(...sizes: number[]) {
  return compliantEstate().mutate((t) => {
    const volumes = t.ec2.Volumes.filter((v) => v.Attachments?.[0]?.InstanceId === redis);
    volumes.forEach((v, i) => (v.Size = sizes[i] ?? v.Size));
  });
}

describe('instance.disk', () => {
  it('passes a 20 GiB root volume', () => {
    const f = findingFor(instanceDiskRule, compliantEstate(), redis);
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('20 GiB');
  });

  it.each([
    [10, 'PASS'], // 10 GiB = 10.7 GB
    [9, 'FAIL'], // 9 GiB = 9.66 GB < 10 GB
    [8, 'FAIL'], // the AMI default root size
  ])('a %i GiB root volume => %s', (size, status) => {
    expect(findingFor(instanceDiskRule, withVolumeSizes(size), redis).status).toBe(status);
  });

  it('adds up every attached volume', () => {
    const estate = compliantEstate().instance({ id: 'i-0two00000000000001', subnetId: 'subnet-0redis0000000001', privateIp: '10.0.1.50', volumeSizes: [6, 6], tags: { Role: 'redis', Environment: 'Production', RedisCluster: 'sessions-prod' } });
    const f = findingFor(instanceDiskRule, estate, 'i-0two00000000000001');
    expect(f.status).toBe('PASS');
    expect(f.observed).toContain('12 GiB');
  });

  it('tells how to grow the volume when it fails', () => {
    const f = findingFor(instanceDiskRule, withVolumeSizes(8), redis);
    expect(f.remediation).toMatch(/modify-volume --volume-id vol-/);
  });

  it('is UNKNOWN when an attached volume has no record', () => {
    const estate = compliantEstate().mutate((t) => (t.ec2.Volumes = t.ec2.Volumes.filter((v) => v.Attachments?.[0]?.InstanceId !== redis)));
    const f = findingFor(instanceDiskRule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('no DescribeVolumes record');
  });

  it('is UNKNOWN with the capture error when DescribeVolumes failed', () => {
    const estate = compliantEstate()
      .mutate((t) => (t.ec2.Volumes = []))
      .error({ service: 'ec2', operation: 'DescribeVolumes', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' });
    const f = findingFor(instanceDiskRule, estate, redis);
    expect(f.status).toBe('UNKNOWN');
    expect(f.observed).toContain('RequestLimitExceeded');
  });
});
