import { REQUIREMENT } from '../requirements';
import type { Instance, Volume } from '../snapshot/schema';
import { describeError, serverFinding, type RuleDefinition } from './rule';

/** 10 GB (decimal) expressed in GiB, the unit EBS volume sizes are reported in. */
export const MIN_DISK_GB = 10;
const GIB_IN_GB = 1.073741824;
const REQUIRED = `At least ${MIN_DISK_GB} GB of attached EBS storage.`;
const NO_VOLUMES: readonly Volume[] = [];

const NO_IDS: readonly string[] = [];

/** The EBS volume ids the instance maps that have no DescribeVolumes record among `volumes` (usually none: then a shared empty list). */
function mappedVolumesWithoutRecord(mappings: Instance['BlockDeviceMappings'], volumes: readonly Volume[]): readonly string[] {
  let missing: string[] | undefined;
  for (const mapping of mappings ?? []) {
    const id = mapping.Ebs?.VolumeId;
    if (id && !volumes.some((v) => v.VolumeId === id)) (missing ??= []).push(id);
  }
  return missing ?? NO_IDS;
}

export const instanceDiskRule: RuleDefinition = {
  id: 'instance.disk',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis server has at least 10 GB of disk',
  requirement: REQUIREMENT.disk,
  evaluate(target) {
    return target.redisServers.map((server) => {
      const volumes = target.volumesByInstance.get(server.instanceId) ?? NO_VOLUMES;
      const missing = mappedVolumesWithoutRecord(server.instance.BlockDeviceMappings, volumes);
      const mappedNone = !server.instance.BlockDeviceMappings?.some((m) => !!m.Ebs?.VolumeId);
      // The sized volumes' count, total and list, in one pass (the list as join(', ') writes it).
      let sizedCount = 0;
      let totalGiB = 0;
      let list = '';
      let unsized = 0;
      for (const v of volumes) {
        if (v.Size === undefined) {
          unsized++;
          continue;
        }
        totalGiB += v.Size;
        list += `${sizedCount++ === 0 ? '' : ', '}${v.VolumeId} ${v.Size} GiB`;
      }
      const totalGB = totalGiB * GIB_IN_GB;
      const unmeasured = missing.length + unsized > 0 ? [...missing, ...volumes.filter((v) => v.Size === undefined).map((v) => v.VolumeId)] : NO_IDS;
      const incomplete = unmeasured.length > 0 || (mappedNone && volumes.length === 0);
      const observed = `${sizedCount} EBS volume(s) attached, ${totalGiB} GiB (${totalGB.toFixed(1)} GB) in all: ${list}.`;
      // What is on record decides when it is already enough: an unmeasured volume only adds space.
      if (totalGB >= MIN_DISK_GB) {
        const note = unmeasured.length > 0 ? ` Not measured (no size on record), and not needed for the verdict: ${unmeasured.join(', ')}.` : '';
        return serverFinding(instanceDiskRule, server, { status: 'PASS', severity: 'medium', observed: `${observed}${note}`, required: REQUIRED, remediation: 'None needed. Size for logs and persistence (AOF/RDB) as the setup grows.' });
      }
      if (incomplete) {
        const error = target.errorFor('ec2:DescribeVolumes');
        const why = error
          ? describeError(error)
          : missing.length > 0
            ? `volume(s) ${missing.join(', ')} are attached but have no DescribeVolumes record in the snapshot`
            : mappedNone && volumes.length === 0
              ? 'no EBS volume is attached or recorded'
              : 'a volume record has no size';
        const known = sizedCount > 0 ? ` The volumes on record hold ${totalGiB} GiB (${totalGB.toFixed(1)} GB), less than required, and the rest may make up the difference.` : '';
        return serverFinding(instanceDiskRule, server, { status: 'UNKNOWN', severity: 'medium', observed: `Attached storage cannot be measured: ${why}.${known}`, required: REQUIRED, remediation: 'Capture DescribeVolumes for the instance (ec2:DescribeVolumes) and scan again.' });
      }
      const root = volumes[0]!;
      return serverFinding(instanceDiskRule, server, {
        status: 'FAIL',
        severity: 'medium',
        observed,
        required: REQUIRED,
        remediation: `Grow volume ${root.VolumeId} to at least ${Math.ceil((MIN_DISK_GB / GIB_IN_GB) * 10) / 10} GiB (aws ec2 modify-volume --volume-id ${root.VolumeId} --size 10), then extend the file system on the server.`,
      });
    });
  },
};
