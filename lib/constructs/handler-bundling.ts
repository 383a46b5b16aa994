/**
 * How every Lambda handler is bundled, in one place: the CDK construct (ScannerFunction, through
 * ./bundle-handler-command) and the benchmark's bundle-size and cold-init figures
 * (bench/bundle-handlers.ts) both call bundleHandler, so the benchmark measures exactly the code
 * that is deployed. The local esbuild package, never Docker.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { sdkSchemaKeysPlugin } from './sdk-schema-keys-plugin';

/** The Lambda runtime the bundles are built for (ScannerFunction's FUNCTION_RUNTIME is Node.js 22). */
export const HANDLER_TARGET = 'node22';

/** The file the Lambda runtime loads (`index.handler`), with its source map beside it. */
export const HANDLER_OUTPUT_FILE = 'index.mjs';

export const HANDLER_BUNDLING = {
  bundle: true,
  platform: 'node',
  target: HANDLER_TARGET,
  /** ES module output: esbuild bundles the AWS SDK's ES builds (dist-es) and tree-shakes them. */
  format: 'esm',
  mainFields: ['module', 'main'],
  /** CommonJS dependencies bundled into ESM still call require() for Node built-ins. */
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  minify: true,
  treeShaking: true,
  sourcemap: true,
  sourcesContent: false,
  /** Nothing external: the AWS SDK is bundled (tree-shaken, pinned to the version the tests ran with). */
  external: [],
  /** Lets esbuild drop the SDK schemas of operations the code never calls (see the plugin). */
  plugins: [sdkSchemaKeysPlugin],
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface BundledHandler {
  file: string;
  bytes: number;
  mapBytes: number;
}

/** Bundles one handler file into `<outDir>/index.mjs` (+ `.map`). */
export async function bundleHandler(entry: string, outDir: string, projectRoot: string): Promise<BundledHandler> {
  const file = path.join(outDir, HANDLER_OUTPUT_FILE);
  await build({
    ...HANDLER_BUNDLING,
    mainFields: [...HANDLER_BUNDLING.mainFields],
    external: [...HANDLER_BUNDLING.external],
    plugins: [...HANDLER_BUNDLING.plugins],
    absWorkingDir: projectRoot,
    entryPoints: [entry],
    outfile: file,
  });
  return { file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size };
}
