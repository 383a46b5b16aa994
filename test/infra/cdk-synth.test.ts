/**
 * The real thing, as a user runs it on a fresh clone: `npx cdk synth` (cdk.json -> bin/app.ts) with
 * the local esbuild, no Docker, no AWS account, and cdk-nag gating the synthesis. Then every
 * Lambda bundle is loaded by Node and must export `handler`, with the AWS SDK inside the bundle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HANDLER_NAMES } from '../../lib/constructs/scanner-function';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');

test('cdk synth bundles every handler with esbuild and passes cdk-nag', () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk-synth-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DOCKER: 'false-docker-must-not-run' };
  delete env['CDK_DEFAULT_ACCOUNT'];
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', out], { cwd: ROOT, env, stdio: 'pipe', encoding: 'utf8' });

  const templates = readdirSync(out).filter((f) => f.endsWith('.template.json')).sort();
  expect(templates).toEqual(['RedisCompliance-Data.template.json', 'RedisCompliance-RedisInventory-eu-west-1.template.json', 'RedisCompliance-Scanner.template.json']);

  const scanner = JSON.parse(readFileSync(join(out, 'RedisCompliance-Scanner.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }> };
  const functions = Object.values(scanner.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions).toHaveLength(HANDLER_NAMES.length);
  for (const fn of functions) {
    expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect((fn.Properties['Environment'] as { Variables: Record<string, string> }).Variables['NODE_OPTIONS']).toBe('--enable-source-maps');
    const assetDir = join(out, fn.Metadata!['aws:asset:path']!);
    const bundle = join(assetDir, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // Code splitting: the chunks (dynamic imports, loaded on first use) are in the asset beside index.mjs.
    const chunks = existsSync(join(assetDir, 'chunks')) ? readdirSync(join(assetDir, 'chunks')).filter((f) => f.endsWith('.mjs')).map((f) => join(assetDir, 'chunks', f)) : [];
    for (const file of [bundle, ...chunks]) {
      const code = readFileSync(file, 'utf8');
      // The SDK is bundled (tree-shaken), never loaded from the runtime's copy. The one runtime
      // require left is the optional SigV4a CRT signer, tried inside a try/catch and not installed.
      const external = [...code.matchAll(/(?:from\s*|import\(|require\()"(@aws-sdk\/[^"]+)"/g)].map((m) => m[1]);
      expect([...new Set(external)].filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    }
    // Every chunk loads (its static imports resolve inside the asset), and so does the entry.
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', `for (const c of ${JSON.stringify(chunks)}) await import(c); const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler);`], {
      env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'eu-west-1' },
      encoding: 'utf8',
    });
    expect(loaded.trim()).toBe('function');
  }
});
