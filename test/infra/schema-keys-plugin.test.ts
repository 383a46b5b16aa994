/**
 * The SDK schema-keys plugin (lib/constructs/sdk-schema-keys-plugin.ts) rewrites computed keys of the
 * SDK's schema modules to the strings their constants hold, so esbuild can drop unused schemas. It
 * must change nothing else: a capture bundled with it gives the same snapshot and the same requests
 * as one bundled without it, and as the unbundled code; and it shrinks the deployed bundles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleWithSchemaKeys } from '../../lib/constructs/schema-keys-bundle';
import { HANDLER_BUNDLING } from '../../lib/constructs/handler-bundling';
import { inlineSchemaKeys } from '../../lib/constructs/sdk-schema-keys-plugin';
import { capture } from '../support/bundle-entries/capture-against-fake';
import { useFakeDefaultCredentials } from '../support/aws-fakes/test-setup';

jest.setTimeout(240_000);
const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'test', 'support', 'bundle-entries', 'capture-against-fake.ts');

/** Runs a bundle's capture in a fresh Node.js process (jest's module sandbox cannot import ESM). */
function captureIn(bundle: string): string {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(await m.capture(120));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env['PATH'] ?? '', AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID']!, AWS_SECRET_ACCESS_KEY: 'fake-secret', AWS_EC2_METADATA_DISABLED: 'true' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

async function plainBundle(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY], outfile, bundle: true, treeShaking: true, logLevel: 'warning', absWorkingDir: ROOT,
    platform: HANDLER_BUNDLING.platform, target: HANDLER_BUNDLING.target, format: HANDLER_BUNDLING.format, mainFields: [...HANDLER_BUNDLING.mainFields],
    banner: { js: HANDLER_BUNDLING.banner }, minify: true, external: [],
  });
}

test('inlines a computed key only where a same-module string constant names it', () => {
  const source = 'const _xN = "xmlName";\nconst _o = other();\nexport var A = { [_xN]: _T, [_o]: 1, [_missing]: 2 };';
  expect(inlineSchemaKeys(source)).toBe('const _xN = "xmlName";\nconst _o = other();\nexport var A = { "xmlName": _T, [_o]: 1, [_missing]: 2 };');
});

test('a capture bundled with the plugin equals the one bundled without it and the unbundled one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'schema-keys-'));
  const withPlugin = path.join(dir, 'with.mjs');
  const without = path.join(dir, 'without.mjs');
  await bundleWithSchemaKeys(ENTRY, withPlugin, ROOT);
  await plainBundle(without);
  const [a, b] = [captureIn(withPlugin), captureIn(without)];
  const unbundled = await capture(120);
  expect(JSON.parse(a).target.ec2.Reservations.length).toBeGreaterThan(0);
  expect(a).toBe(b);
  expect(a).toBe(unbundled);
  // The plugin is what the bundle went through: its schema module differs from the plain one.
  expect(statSync(withPlugin).size).not.toBe(statSync(without).size);
});
