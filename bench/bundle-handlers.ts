/**
 * Bundles the Lambda handlers with the local esbuild and the very options the CDK construct uses
 * (lib/constructs/handler-bundling.ts, read by ScannerFunction): platform node, node22, ESM, minified,
 * tree-shaken, source map (not counted in the size), main fields module/main, the createRequire
 * banner, nothing external (the AWS SDK is bundled).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { HANDLER_BUNDLING, HANDLER_OUTPUT_FILE } from '../lib/constructs/handler-bundling';
import { REPO_ROOT } from './child-process';

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
  const file = path.join(outDir, name, HANDLER_OUTPUT_FILE);
  await build({
    entryPoints: [handlerEntry(name)],
    outfile: file,
    bundle: true,
    treeShaking: true,
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
    platform: HANDLER_BUNDLING.platform,
    target: HANDLER_BUNDLING.target,
    format: HANDLER_BUNDLING.format,
    mainFields: [...HANDLER_BUNDLING.mainFields],
    banner: { js: HANDLER_BUNDLING.banner },
    minify: HANDLER_BUNDLING.minify,
    sourcemap: HANDLER_BUNDLING.sourceMap,
    sourcesContent: HANDLER_BUNDLING.sourcesContent,
    external: [...HANDLER_BUNDLING.externalModules],
  });
  return { name, file, bytes: statSync(file).size, mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0 };
}
