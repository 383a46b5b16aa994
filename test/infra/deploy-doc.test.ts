/**
 * docs/deploy.md is a walkthrough a newcomer follows: every `cdk` command it names must work
 * offline against the configuration it tells them to write. The app is built once from the doc's
 * example configuration (merged over cdk.json's context, as `-c redisComplianceConfigFile=` does)
 * the way bin/app.ts builds it, synthesized, and each command's stack selection is resolved with
 * the CLI's rules: `--all` = the top-level stacks, a pattern = a glob over the stack ids (including
 * `Stage/Stack` ids). Bundling is left out (the inline-code factory): test/infra/cdk-synth.test.ts
 * runs the real `cdk synth` once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { minimatch } from 'minimatch';
import { parseAppConfig } from '../../lib/config/load-app-config';
import { InlineCodeFunctionFactory } from '../../lib/constructs/function-factory';
import { buildRedisComplianceApp } from '../../lib/redis-compliance-app';
import { nagFindings } from './app-fixture';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
const CONFIG_FILE_ARG = 'redisComplianceConfigFile=deploy/prod.json';

/** The ```json block of the Configuration section: the doc's deploy/prod.json. */
function docConfig(): Record<string, unknown> {
  const section = DOC.slice(DOC.indexOf('## Configuration'), DOC.indexOf('## Deploy, step by step'));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('docs/deploy.md: no json block in the Configuration section');
  return JSON.parse(block[1]!) as Record<string, unknown>;
}

interface CdkCommand { line: string; verb: string; patterns: string[]; all: boolean; context: string[] }

/** Every `npx cdk ...` line of the doc's sh blocks. */
function cdkCommands(): CdkCommand[] {
  const blocks = [...DOC.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const inline = [...DOC.matchAll(/`(npx cdk [^`]+)`/g)].map((m) => m[1]!);
  return [...blocks.flatMap((b) => b.split('\n')), ...inline]
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('npx cdk '))
    .map((line) => {
      const words = line.split(/\s+/).slice(2).map((w) => w.replace(/^'(.*)'$/, '$1'));
      const verb = words[0]!;
      const patterns: string[] = [];
      const context: string[] = [];
      let all = false;
      for (let i = 1; i < words.length; i++) {
        const w = words[i]!;
        if (w === '-c' || w === '--context') context.push(words[++i]!);
        else if (w === '--all') all = true;
        else if (!w.startsWith('-')) patterns.push(w);
      }
      return { line, verb, patterns, all, context };
    });
}

const config = (() => {
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: { redisCompliance: Record<string, unknown> } };
  return parseAppConfig({ ...cdkJson.context.redisCompliance, ...docConfig() }, 'docs/deploy.md');
})();
const app = new App();
// As bin/app.ts: the scanner stacks pinned to readerRole.scannerAccountId.
buildRedisComplianceApp(app, config, new InlineCodeFunctionFactory(), { account: config.readerRole.scannerAccountId!, region: 'eu-west-1' });
const assembly = app.synth();
const everyStack = assembly.stacksRecursively;
const topLevel = assembly.stacks;

function select(command: CdkCommand): CloudFormationStackArtifact[] {
  if (command.all) return topLevel;
  return everyStack.filter((s) => command.patterns.some((p) => minimatch(s.hierarchicalId, p)));
}

const commands = cdkCommands();

test('the doc names the cdk commands of the walkthrough', () => {
  expect(commands.map((c) => c.verb).sort()).toEqual(expect.arrayContaining(['bootstrap', 'deploy', 'deploy', 'deploy', 'list', 'synth', 'synth']));
});

test.each(commands.filter((c) => c.verb !== 'bootstrap').map((c) => [c.line, c] as const))('`%s` selects stacks that exist and synthesize', (_line, command) => {
  if (command.context.length === 0) {
    // Without the configuration file: the whole default app (cdk.json), which test/infra/cdk-synth.test.ts synthesizes for real.
    expect(['synth', 'list']).toContain(command.verb);
    expect(command.patterns).toEqual([]);
    return;
  }
  expect(command.context).toEqual([CONFIG_FILE_ARG]);
  if (command.verb === 'list' || (command.verb === 'synth' && command.patterns.length === 0 && !command.all)) {
    expect(everyStack.length).toBeGreaterThan(0);
    return;
  }
  const selected = select(command);
  expect(selected.length).toBeGreaterThan(0);
  for (const stack of selected) expect(Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length).toBeGreaterThan(0);
});

test('`cdk deploy --all` deploys exactly the scanner account\'s stacks, all pinned to that account', () => {
  const all = commands.find((c) => c.verb === 'deploy' && c.all)!;
  const selected = select(all);
  expect(selected.map((s) => s.hierarchicalId).sort()).toEqual(['RedisCompliance-Data', 'RedisCompliance-RedisInventory-eu-west-1', 'RedisCompliance-RedisInventory-us-east-1', 'RedisCompliance-Scanner']);
  for (const s of selected) expect(s.environment.account).toBe(config.readerRole.scannerAccountId);
});

test('`Member/*` and `Organization/*` select the member and StackSets stacks only', () => {
  const member = select(commands.find((c) => c.verb === 'deploy' && c.patterns.includes('Member/*'))!);
  expect(member.map((s) => s.stackName).sort()).toEqual(['RedisCompliance-Member-ReaderRole', 'RedisCompliance-Member-RedisInventory-eu-west-1', 'RedisCompliance-Member-RedisInventory-us-east-1']);
  const organization = select(commands.find((c) => c.verb === 'deploy' && c.patterns.includes('Organization/*'))!);
  expect(organization.map((s) => `${s.stackName} ${s.environment.account}`)).toEqual([`RedisCompliance-MemberStackSets ${config.readerRole.stackSetAccountId}`]);
});

test('the stack table names every stack of the app, and no other', () => {
  const table = DOC.slice(DOC.indexOf('| Stack id (for `cdk`)'), DOC.indexOf('## Configuration'));
  const ids = [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!)
    .flatMap((id) => (id.includes('<region>') ? config.targets.regions.map((r) => id.replace('<region>', r)) : [id]));
  expect(ids.sort()).toEqual(everyStack.map((s) => s.hierarchicalId).sort());
});

test('the doc\'s configuration passes cdk-nag in every stack', () => {
  expect(nagFindings(app)).toEqual([]);
});

test('no member stack takes the name of a scanner-account stack (step 6 may deploy the reader role into the scanner account)', () => {
  const memberNames = everyStack.filter((s) => s.hierarchicalId.startsWith('Member/')).map((s) => s.stackName);
  expect(memberNames.length).toBeGreaterThan(0);
  for (const name of memberNames) expect(topLevel.map((s) => s.stackName)).not.toContain(name);
  // What step 6 deploys into the scanner account is the reader role alone: its inventory is step 5's.
  const scannerAccountStep = commands.find((c) => c.verb === 'deploy' && c.patterns.some((p) => p.startsWith('Member/') && p !== 'Member/*'))!;
  expect(select(scannerAccountStep).map((s) => s.stackName)).toEqual(['RedisCompliance-Member-ReaderRole']);
});

test('step 3 reads the account State (Organizations retired the Status field on 9 September 2026)', () => {
  const step3 = DOC.slice(DOC.indexOf('### 3. '), DOC.indexOf('### 4. '));
  expect(step3).toContain("--query 'Accounts[0].State'");
  expect(step3).not.toMatch(/Accounts\[0\]\.Status/);
});

test('step 7 verifies the sender identity and every recipient of the configuration', () => {
  const step7 = DOC.slice(DOC.indexOf('### 7. '), DOC.indexOf('### 8. '));
  const verify = step7.slice(step7.indexOf('Verify'));
  const report = docConfig()['report'] as { senderIdentity?: string; sender: string; recipients: string[] };
  // Whole words: `example.com` inside `ops@example.com` is not the domain identity checked.
  const words = new Set(verify.split(/[\s`'"();]+/));
  for (const identity of [report.senderIdentity ?? report.sender, ...report.recipients]) expect([identity, words.has(identity)]).toEqual([identity, true]);
  expect(verify).toContain('get-email-identity');
});
