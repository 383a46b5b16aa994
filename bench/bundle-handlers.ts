/**
 * Bundles the Lambda handlers with the local esbuild and the very options the CDK construct uses
 * (lib/constructs/handler-bundling.ts, read by ScannerFunction): platform node, node22, ESM, minified,
 * tree-shaken, source map (not counted in the size), main fields module/main, the createRequire
 * banner, nothing external (the AWS SDK is bundled), code splitting (dynamic imports in chunks), and
 * the SDK schema-keys plugin that the construct's afterBundling hook applies
 * (lib/constructs/schema-keys-bundle.ts).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HANDLER_OUTPUT_FILE } from '../lib/constructs/handler-bundling';
import { bundleWithSchemaKeys, type HandlerBundle } from '../lib/constructs/schema-keys-bundle';
import { REPO_ROOT } from './child-process';

export interface BundledHandler extends HandlerBundle {
  name: string;
}

export function handlerEntry(name: string): string {
  return path.join(REPO_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

export function handlerExists(name: string): boolean {
  return existsSync(handlerEntry(name));
}

export async function bundleHandler(name: string, outDir = mkdtempSync(path.join(tmpdir(), 'redis-compliance-bench-'))): Promise<BundledHandler> {
  // The deployed bundle: NodejsFunction's options plus the schema-keys plugin its afterBundling hook applies.
  const bundled = await bundleWithSchemaKeys(handlerEntry(name), path.join(outDir, name, HANDLER_OUTPUT_FILE), REPO_ROOT);
  return { name, ...bundled };
}
