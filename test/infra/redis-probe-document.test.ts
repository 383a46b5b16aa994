/**
 * The SSM document and associations of the Redis inventory stack: the probe step carries
 * inventory/redis-probe.sh byte for byte, the inventory step uploads applications and custom
 * inventory, and front-ends get AWS-GatherSoftwareInventory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REDIS_PROBE_SCRIPT_PATH } from '../../lib/constructs/redis-probe-script';
import { RedisInventoryStack } from '../../lib/stacks/redis-inventory-stack';
import { runProbe } from '../redis/support/probe-runner';

function synth(frontendTagValue?: string): Template {
  const app = new App();
  const stack = new RedisInventoryStack(app, 'Inventory', { tagKey: 'Role', tagValue: 'redis', ...(frontendTagValue ? { frontendTagValue } : {}), ports: [7000, 7001], schedule: 'cron(0 1 * * ? *)' });
  return Template.fromStack(stack);
}

const template = synth('outsystems-frontend');
const document = Object.values(template.findResources('AWS::SSM::Document'))[0]!['Properties'];
const steps = document['Content']['mainSteps'] as Array<Record<string, any>>;

test('the probe step runs inventory/redis-probe.sh exactly as committed', () => {
  const file = readFileSync(REDIS_PROBE_SCRIPT_PATH, 'utf8');
  expect(steps[0]).toMatchObject({ action: 'aws:runShellScript', name: 'probeRedis', onFailure: 'exit', precondition: { StringEquals: ['platformType', 'Linux'] } });
  expect(`${(steps[0]!['inputs']['runCommand'] as string[]).join('\n')}\n`).toBe(file);
  expect(file.startsWith('#!/bin/sh\n')).toBe(true);
});

test('every {{ parameter }} the script uses is a declared document parameter', () => {
  const script = (steps[0]!['inputs']['runCommand'] as string[]).join('\n');
  const used = [...script.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
  expect([...new Set(used)]).toEqual(Object.keys(document['Content']['parameters']).sort());
  expect(document['Content']['parameters']['Ports']['default']).toBe('7000,7001');
  // The values land inside single quotes in the script: the patterns allow no quote.
  for (const p of Object.values(document['Content']['parameters']) as Array<{ allowedPattern: string }>) {
    expect(new RegExp(p.allowedPattern).test("x'; rm -rf / #")).toBe(false);
  }
});

test('Run Command substitutes the document parameters into the probe; by hand the placeholders are ignored', () => {
  const values: Record<string, string> = { Ports: document['Content']['parameters']['Ports']['default'], ConfigDirs: '', PasswordParameter: '' };
  const script = (steps[0]!['inputs']['runCommand'] as string[]).join('\n').replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => values[name]!);
  const dir = mkdtempSync(join(tmpdir(), 'redis-probe-doc-'));
  writeFileSync(join(dir, 'substituted.sh'), script);
  // REDIS_PIDS empty: no process is probed, so the rows show only the expected ports and "nothing runs".
  const substituted = runProbe({ REDIS_PIDS: '', CUSTOM_INVENTORY_DIR: join(dir, 'a') }, { script: join(dir, 'substituted.sh') });
  expect(substituted.server.Content.map((r) => r['port'] ?? '-')).toEqual(['7000', '7001', '-']);
  const byHand = runProbe({ REDIS_PIDS: '', CUSTOM_INVENTORY_DIR: join(dir, 'b') });
  expect(byHand.server.Content.map((r) => r['port'] ?? '-')).toEqual(['-']);
});

test('the inventory step uploads applications and the custom inventory files right after the probe', () => {
  expect(steps).toHaveLength(2);
  expect(steps[1]).toMatchObject({ action: 'aws:softwareInventory', inputs: { applications: 'Enabled', customInventory: 'Enabled' } });
});

test('Redis servers get the probe document, front-ends AWS-GatherSoftwareInventory (applications + custom), one inventory association each', () => {
  const associations = Object.values(template.findResources('AWS::SSM::Association')).map((r) => r['Properties']);
  expect(associations).toHaveLength(2);
  const redis = associations.find((a) => a.AssociationName === 'redis-compliance-redis-server-inventory')!;
  expect(redis).toMatchObject({ Targets: [{ Key: 'tag:Role', Values: ['redis'] }], Parameters: { Ports: ['7000,7001'] }, ScheduleExpression: 'cron(0 1 * * ? *)' });
  expect(redis.Name).toEqual({ Ref: expect.stringMatching(/Document/) });
  const frontend = associations.find((a) => a.AssociationName === 'redis-compliance-frontend-software-inventory')!;
  expect(frontend).toMatchObject({ Name: 'AWS-GatherSoftwareInventory', Targets: [{ Key: 'tag:Role', Values: ['outsystems-frontend'] }], Parameters: { applications: ['Enabled'], customInventory: ['Enabled'] } });
});

test('without a front-end role value there is no front-end association', () => {
  expect(Object.keys(synth().findResources('AWS::SSM::Association'))).toHaveLength(1);
});
