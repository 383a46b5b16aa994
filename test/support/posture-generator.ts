/**
 * Security posture for generated estates (docs/redis-probe.md, "Security posture"): adds the
 * posture attributes to some probe rows (Custom:RedisServer, probe_version 2) and writes their
 * Custom:RedisAclUser rows, with the faults redis.authentication, redis.scripting-exposure and
 * redis.dangerous-commands look for mixed in (no password, protected mode off, old or unowned
 * builds, users allowed EVAL or administrative commands, fields left out).
 *
 * It draws from its own generator, seeded per instance by its processes' addresses and ports (which
 * renaming ids, shuffling lists and adding unrelated instances leave alone), so the rest of a
 * generated estate is the same with or without it.
 */
import type { SnapshotTarget } from '../../lambdas/core/snapshot/schema';
import { Rng } from './estate-generator';

const PACKAGES: ReadonlyArray<Record<string, string | undefined>> = [
  { package_manager: 'dpkg', package_name: 'redis-server', package_version: '5:7.0.15-1~deb12u10' },
  { package_manager: 'dpkg', package_name: 'redis-server', package_version: '5:7.0.15-1~deb12u3' },
  { package_manager: 'none' },
  { package_manager: 'rpm', package_name: 'redis', package_version: '7.0.15-1.amzn2023.0.1' },
  {},
];

export function addPostureRows(target: SnapshotTarget): void {
  for (const entity of target.ssm.Entities) {
    const rows = entity.Data?.['Custom:RedisServer']?.Content;
    if (!rows || !rows.some((r) => r['probe_version'] === '2')) continue;
    const rng = new Rng(seedOf(rows.map((r) => `${r['address']}:${r['port']}`).join(' ')));
    if (!rng.chance(0.75)) continue;
    const users: Array<Record<string, string>> = [];
    for (const row of rows) {
      if (row['probe_version'] !== '2' || row['status'] === 'not_running') continue;
      const open = rng.chance(0.3);
      const defaultOff = !open && rng.chance(0.15);
      const posture: Record<string, string | undefined> = {
        auth_required: rng.chance(0.1) ? undefined : open ? '0' : '1',
        default_user_enabled: defaultOff ? '0' : '1',
        default_user_nopass: open ? '1' : '0',
        protected_mode: rng.pick(['yes', 'no', 'no', undefined]),
        listen: rng.chance(0.2) ? `0.0.0.0:${row['port']} 0.0.0.0:${Number(row['port']) + 10000}` : row['listen'],
        tls_port: '0',
        enable_debug_command: rng.pick(['no', 'no', 'yes', 'local', undefined]),
        enable_module_command: rng.pick(['no', 'no', 'yes', undefined]),
        enable_protected_configs: 'no',
            executable: '/usr/bin/redis-server',
        ...rng.pick(PACKAGES),
      };
      const own: Array<Record<string, string>> = [];
      const userCount = rng.chance(0.1) ? 0 : rng.int(1, 3);
      for (let u = 0; u < userCount; u++) {
        const user: Record<string, string> = {
          seen_from_address: row['address'] ?? '',
          seen_from_port: row['port'] ?? '',
          user: u === 0 ? 'default' : `user${u}`,
          enabled: u === 0 && defaultOff ? '0' : rng.chance(0.8) ? '1' : '0',
          nopass: u === 0 && open ? '1' : '0',
          commands: rng.pick(['+@all', '+@all -@dangerous +@scripting', '+@all -@scripting', '-@all +get +set']),
        };
        for (const capability of ['eval', 'config', 'debug', 'module', 'flushall', 'flushdb', 'keys']) {
          if (rng.chance(0.05)) continue;
          user[`may_${capability}`] = rng.chance(capability === 'eval' ? 0.7 : 0.3) ? '1' : '0';
        }
        own.push(user);
      }
      // A process sometimes counts users that were not written (a lost or partial file).
      posture['acl_users'] = rng.chance(0.05) ? undefined : String(own.length + (rng.chance(0.05) ? 1 : 0));
      for (const [key, value] of Object.entries(posture)) {
        if (value === undefined) delete row[key];
        else row[key] = value;
      }
      users.push(...own);
    }
    entity.Data!['Custom:RedisAclUser'] = { TypeName: 'Custom:RedisAclUser', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: users };
  }
}

function seedOf(text: string): number {
  let seed = 0x2545f491;
  for (let k = 0; k < text.length; k++) seed = Math.imul(seed ^ text.charCodeAt(k), 0x01000193) >>> 0;
  return seed;
}
