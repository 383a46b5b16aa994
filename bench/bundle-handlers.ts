/**
 * Bundles the Lambda handlers with lib/constructs/handler-bundling.ts: the very function (and
 * options) the CDK construct uses, so the figures measure the deployed code.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleHandler as bundleHandlerFile } from '../lib/constructs/handler-bundling';
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
  return { name, ...(await bundleHandlerFile(handlerEntry(name), path.join(outDir, name), REPO_ROOT)) };
}
