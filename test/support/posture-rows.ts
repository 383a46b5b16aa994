/**
 * Probe rows with the security posture (docs/redis-probe.md, "Security posture") for one test
 * server: Custom:RedisServer rows (one per process) and Custom:RedisAclUser rows, written into the
 * estate's inventory entity in GetInventory's shape. The defaults are a hardened server on the
 * patched Debian 12 package: a password, the default user allowed EVAL but no administrative command.
 */
import type { AclCapability } from '../../lambdas/core/inventory/redis-probe-rows';
import type { EstateBuilder } from './estate-builder';

export interface UserSpec {
  user: string;
  enabled?: boolean;
  nopass?: boolean;
  commands?: string;
  may?: Partial<Record<AclCapability, boolean>>;
}

export interface ProcessSpec {
  port?: number;
  /** Custom:RedisServer attributes to change ('' or undefined values remove the attribute). */
  row?: Record<string, string | undefined>;
  /** ACL users; default: the default user with a password, allowed EVAL only. */
  users?: UserSpec[];
}

export const FRONTEND_USER: UserSpec = { user: 'default', commands: '+@all -@dangerous +@scripting', may: { eval: true, config: false, debug: false, module: false, flushall: false, flushdb: false, keys: false } };

export function postureRow(address: string, port: number, users: number, row: ProcessSpec['row'] = {}): Record<string, string> {
  const base: Record<string, string> = {
    probe_version: '2',
    status: 'ok',
    pid: String(4000 + port),
    process: 'redis-server',
    address,
    port: String(port),
    listen: `${address}:${port} ${address}:${port + 10000}`,
    tls: '0',
    auth_required: '1',
    redis_version: '7.0.15',
    binary_version: '7.0.15',
    redis_mode: 'standalone',
    role: 'master',
    cluster_enabled: '0',
    protected_mode: 'yes',
    default_user_enabled: '1',
    default_user_nopass: '0',
    acl_users: String(users),
    tls_port: '0',
    enable_debug_command: 'no',
    enable_module_command: 'no',
    enable_protected_configs: 'no',
    renamed_command_names: '',
    executable: '/usr/bin/redis-server',
    package_manager: 'dpkg',
    package_name: 'redis-server',
    package_version: '5:7.0.15-1~deb12u10',
  };
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined || value === '') delete base[key];
    else base[key] = value;
  }
  return base;
}

export function userRow(address: string, port: number, spec: UserSpec): Record<string, string> {
  const row: Record<string, string> = {
    seen_from_address: address,
    seen_from_port: String(port),
    user: spec.user,
    enabled: spec.enabled === false ? '0' : '1',
    nopass: spec.nopass ? '1' : '0',
  };
  if (spec.commands !== undefined) row['commands'] = spec.commands;
  for (const [capability, allowed] of Object.entries(spec.may ?? {})) row[`may_${capability}`] = allowed ? '1' : '0';
  return row;
}

/** Replaces the instance's Custom:RedisServer rows (and writes Custom:RedisAclUser rows) with these processes. */
export function withPosture(estate: EstateBuilder, instanceId: string, address: string, processes: ProcessSpec[] = [{}]): EstateBuilder {
  return estate.mutate((t) => {
    const entity = t.ssm.Entities.find((e) => e.Id === instanceId)!;
    const servers: Array<Record<string, string>> = [];
    const users: Array<Record<string, string>> = [];
    processes.forEach((p, i) => {
      const port = p.port ?? 7000 + i;
      const specs = p.users ?? [FRONTEND_USER];
      servers.push(postureRow(address, port, specs.length, p.row));
      users.push(...specs.map((u) => userRow(address, port, u)));
    });
    entity.Data = {
      ...entity.Data,
      'Custom:RedisServer': { TypeName: 'Custom:RedisServer', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: servers },
      'Custom:RedisAclUser': { TypeName: 'Custom:RedisAclUser', SchemaVersion: '2.0', CaptureTime: '2026-11-25T01:30:00Z', Content: users },
    };
  });
}

/** The done-when server: upstream 7.0.15 built from source, no password, protected mode off, default user allowed everything. */
export const OPEN_UPSTREAM_SERVER: ProcessSpec = {
  row: { auth_required: '0', default_user_nopass: '1', protected_mode: 'no', package_manager: 'none', package_name: undefined, package_version: undefined, executable: '/usr/local/bin/redis-server', listen: '0.0.0.0:7000 0.0.0.0:17000' },
  users: [{ user: 'default', nopass: true, commands: '+@all', may: { eval: true, config: true, debug: true, module: true, flushall: true, flushdb: true, keys: true } }],
};
