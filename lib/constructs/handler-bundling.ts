/**
 * How every Lambda handler is bundled, in one place: the CDK construct (ScannerFunction, through
 * ./bundle-handler-command) and the benchmark's bundle-size and cold-init figures
 * (bench/bundle-handlers.ts) both call bundleHandler, so the benchmark measures exactly the code
 * that is deployed. The local esbuild package, never Docker.
 */
import * as path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { sdkSchemaKeysPlugin } from './sdk-schema-keys-plugin';

/** The Lambda runtime the bundles are built for (ScannerFunction's FUNCTION_RUNTIME is Node.js 22). */
export const HANDLER_TARGET = 'node22';

/** The file the Lambda runtime loads (`index.handler`), with its source map beside it. */
export const HANDLER_OUTPUT_FILE = 'index.mjs';
/** Code the bundle imports dynamically, in the same asset directory. */
export const HANDLER_CHUNKS_DIR = 'chunks';

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
  /**
   * Code reached only through a dynamic import() goes to its own chunk, loaded when that import
   * runs. In these bundles that is the AWS SDK's own lazy code: the credential providers other
   * than environment variables (SSO, ini files, web identity, process, login, IMDS and their STS /
   * SSO clients), which a Lambda with role credentials in its environment never loads.
   */
  splitting: true,
  entryNames: '[name]',
  chunkNames: `${HANDLER_CHUNKS_DIR}/[name]-[hash]`,
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  sourcesContent: false,
  /** Nothing external: the AWS SDK is bundled (tree-shaken, pinned to the version the tests ran with). */
  external: [],
  /** Lets esbuild drop the SDK schemas of operations the code never calls (see the plugin). */
  plugins: [sdkSchemaKeysPlugin],
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface BundledHandler {
  /** `<outDir>/index.mjs`, the module the runtime imports. */
  file: string;
  /** Every .mjs of the asset: index.mjs and all its chunks. */
  bytes: number;
  /** What importing index.mjs loads: index.mjs and the chunks it imports statically (transitively). */
  initialBytes: number;
  files: number;
  /** Source maps of all of them (not loaded by Node unless --enable-source-maps meets an error). */
  mapBytes: number;
}

/** Bundles one handler file into `<outDir>/index.mjs` (+ `.map`) and `<outDir>/chunks/`. */
export async function bundleHandler(entry: string, outDir: string, projectRoot: string): Promise<BundledHandler> {
  const result = await build({
    ...HANDLER_BUNDLING,
    mainFields: [...HANDLER_BUNDLING.mainFields],
    external: [...HANDLER_BUNDLING.external],
    plugins: [...HANDLER_BUNDLING.plugins],
    absWorkingDir: projectRoot,
    entryPoints: { index: entry },
    outdir: outDir,
    metafile: true,
  });
  return measureOutputs(result.metafile, path.join(outDir, HANDLER_OUTPUT_FILE), projectRoot);
}

function measureOutputs(metafile: Metafile, file: string, projectRoot: string): BundledHandler {
  // Metafile output keys are relative to absWorkingDir.
  const outputs = new Map(Object.entries(metafile.outputs).map(([key, output]) => [path.resolve(projectRoot, key), output]));
  const code = [...outputs].filter(([key]) => key.endsWith('.mjs'));
  const initial = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (initial.has(next)) continue;
    initial.add(next);
    for (const imported of outputs.get(next)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(path.resolve(projectRoot, imported.path));
    }
  }
  if (!outputs.has(file)) throw new Error(`esbuild wrote no ${file}`);
  return {
    file,
    bytes: code.reduce((sum, [, output]) => sum + output.bytes, 0),
    initialBytes: [...initial].reduce((sum, key) => sum + (outputs.get(key)?.bytes ?? 0), 0),
    files: code.length,
    mapBytes: [...outputs].filter(([key]) => key.endsWith('.map')).reduce((sum, [, output]) => sum + output.bytes, 0),
  };
}
