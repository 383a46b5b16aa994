/**
 * The SSM document's script, run for real by bash with stand-in redis-server / redis-cli on PATH
 * (they print what the real ones print), no AWS CLI, and the instance metadata endpoint pointed at
 * a closed port on 127.0.0.1: the rows land in the custom inventory file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_INVENTORY_SCRIPT } from '../../lib/constructs/redis-inventory-script';

interface Row {
  [key: string]: string;
}

function runScript(ports: string, cliBody: string): { item: { TypeName: string; Content: Row[] }; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'redis-inventory-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'redis-server'), '#!/bin/bash\necho "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1234"\n');
  writeFileSync(join(bin, 'redis-cli'), `#!/bin/bash\n${cliBody}\n`);
  for (const f of ['redis-server', 'redis-cli']) chmodSync(join(bin, f), 0o755);
  const script = join(dir, 'script.sh');
  writeFileSync(script, REDIS_INVENTORY_SCRIPT.join('\n').replace('{{ Ports }}', ports));
  const out = join(dir, 'inventory');
  const output = execFileSync('bash', [script], {
    encoding: 'utf8',
    // PATH without any AWS CLI: only the stand-ins and the system tools.
    env: { PATH: `${bin}:/usr/bin:/bin`, IMDS_ENDPOINT: 'http://127.0.0.1:9', CUSTOM_INVENTORY_DIR: out },
  });
  return { item: JSON.parse(readFileSync(join(out, 'RedisServer.json'), 'utf8')), output };
}

const CLUSTER_NODE = `
port=""; while [ $# -gt 0 ]; do case "$1" in -p) port="$2"; shift;; INFO) section="$2";; esac; shift; done
if [ "$section" = server ]; then printf '# Server\\r\\nredis_version:7.0.15\\r\\nredis_mode:cluster\\r\\ntcp_port:%s\\r\\n' "$port"; fi
if [ "$section" = cluster ]; then printf '# Cluster\\r\\ncluster_enabled:1\\r\\n'; fi`;

test('one Custom:RedisServer row per port with redis_version, redis_mode, cluster_enabled, sentinel_running', () => {
  const { item } = runScript('7000,7001', CLUSTER_NODE);
  expect(item.TypeName).toBe('Custom:RedisServer');
  expect(item.Content).toEqual([
    { port: '7000', binary_version: '7.0.15', sentinel_running: '0', redis_version: '7.0.15', redis_mode: 'cluster', cluster_enabled: '1' },
    { port: '7001', binary_version: '7.0.15', sentinel_running: '0', redis_version: '7.0.15', redis_mode: 'cluster', cluster_enabled: '1' },
  ]);
});

test('a port that needs AUTH gets no redis_version, only the error (the scanner reports UNKNOWN)', () => {
  const { item } = runScript('7000', 'echo "NOAUTH Authentication required."');
  expect(item.Content).toEqual([{ port: '7000', binary_version: '7.0.15', sentinel_running: '0', info_error: 'NOAUTH Authentication required.' }]);
});

test('quotes and backslashes in answers stay valid JSON', () => {
  const { item } = runScript('7000', 'echo \'ERR "odd" \\\\ reply\'');
  expect(item.Content[0]!['info_error']).toBe('ERR "odd" \\\\ reply');
});
