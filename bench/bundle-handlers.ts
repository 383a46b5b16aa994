/**
 * Bundles the Lambda handlers with the local esbuild and the options the CDK construct uses
 * (lib/constructs/scanner-function.ts: ScannerFunction): platform node, target node22, ESM, minified,
 * tree-shaken, source map (not counted in the size), main fields module/main, the createRequire
 * banner, nothing external (the AWS SDK is bundled).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './child-process';

/** Kept in step with ScannerFunction's bundling options (read from lib/ when the bench was written). */
export const CONSTRUCT_BUNDLING = {
  target: 'node22',
  format: 'esm' as const,
  mainFields: ['module', 'main'],
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: [] as string[],
};

export interface BundledHandler {
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
}

export function handlerEntry(name: string): string {
  return path.join(REPO_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

export function handlerExists(name: string): boolean {
  return existsSync(handlerEntry(name));
}

export async function bundleHandler(name: string, outDir = mkdtempSync(path.join(tmpdir(), 'redis-compliance-bench-'))): Promise<BundledHandler> {
  const file = path.join(outDir, name, 'index.mjs');
  await build({
    entryPoints: [handlerEntry(name)],
    outfile: file,
    bundle: true,
    platform: 'node',
    treeShaking: true,
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
    target: CONSTRUCT_BUNDLING.target,
    format: CONSTRUCT_BUNDLING.format,
    mainFields: CONSTRUCT_BUNDLING.mainFields,
    banner: { js: CONSTRUCT_BUNDLING.banner },
    minify: CONSTRUCT_BUNDLING.minify,
    sourcemap: CONSTRUCT_BUNDLING.sourcemap,
    sourcesContent: CONSTRUCT_BUNDLING.sourcesContent,
    external: CONSTRUCT_BUNDLING.external,
  });
  return { name, file, bytes: statSync(file).size, mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0 };
}
