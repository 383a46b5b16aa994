/**
 * The handler bundle as deployed: NodejsFunction's esbuild options (./handler-bundling) plus the
 * SDK schema-keys plugin (./sdk-schema-keys-plugin), through esbuild's JavaScript API (plugins need
 * it; the esbuild binary NodejsFunction runs takes none). ScannerFunction keeps NodejsFunction and
 * runs this after NodejsFunction's own bundling (`commandHooks.afterBundling`, via
 * ./rebundle-handler-command), overwriting `index.mjs` and its map and writing the chunks beside it
 * (code splitting, see HANDLER_BUNDLING.splitting); bench/bundle-handlers.ts calls the same function,
 * so figures 7 and 8 measure the deployed code.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { HANDLER_BUNDLING } from './handler-bundling';
import { sdkSchemaKeysPlugin } from './sdk-schema-keys-plugin';

export interface HandlerBundle {
  /** The entry module (`index.mjs`). */
  file: string;
  /** Its size, without the chunks. */
  bytes: number;
  mapBytes: number;
  /** The entry and the chunks it imports statically: what a cold start loads and parses. */
  initBytes: number;
  /** The entry and every chunk: what is deployed (source maps not counted). */
  totalBytes: number;
  /** Chunk files written beside the entry. */
  chunks: string[];
}

/** Bundles `entry` to `outfile` (`<dir>/<name>.mjs`), its chunks to `<dir>/chunks/`. */
export async function bundleWithSchemaKeys(entry: string, outfile: string, projectRoot: string): Promise<HandlerBundle> {
  if (!outfile.endsWith('.mjs')) throw new Error(`the handler bundle must be an .mjs file: ${outfile}`);
  const result = await build({
    entryPoints: { [path.basename(outfile, '.mjs')]: entry },
    outdir: path.dirname(outfile),
    outExtension: { '.js': '.mjs' },
    splitting: HANDLER_BUNDLING.splitting,
    chunkNames: HANDLER_BUNDLING.chunkNames,
    metafile: true,
    bundle: true,
    treeShaking: true,
    logLevel: 'warning',
    absWorkingDir: projectRoot,
    platform: HANDLER_BUNDLING.platform,
    target: HANDLER_BUNDLING.target,
    format: HANDLER_BUNDLING.format,
    mainFields: [...HANDLER_BUNDLING.mainFields],
    banner: { js: HANDLER_BUNDLING.banner },
    minify: HANDLER_BUNDLING.minify,
    sourcemap: HANDLER_BUNDLING.sourceMap,
    sourcesContent: HANDLER_BUNDLING.sourcesContent,
    external: [...HANDLER_BUNDLING.externalModules],
    plugins: [sdkSchemaKeysPlugin],
  });
  const outputs = outputsByAbsolutePath(result.metafile, projectRoot);
  const modules = [...outputs.keys()].filter((file) => file.endsWith('.mjs'));
  const loadedAtInit = staticClosure(path.resolve(outfile), outputs, projectRoot);
  return {
    file: outfile,
    bytes: statSync(outfile).size,
    mapBytes: existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0,
    initBytes: [...loadedAtInit].reduce((sum, file) => sum + outputs.get(file)!.bytes, 0),
    totalBytes: modules.reduce((sum, file) => sum + outputs.get(file)!.bytes, 0),
    chunks: modules.filter((file) => file !== path.resolve(outfile)),
  };
}

function outputsByAbsolutePath(metafile: Metafile, projectRoot: string): Map<string, Metafile['outputs'][string]> {
  return new Map(Object.entries(metafile.outputs).map(([file, output]) => [path.resolve(projectRoot, file), output]));
}

/** The module and every output it reaches through static `import` statements (not `import()`). */
function staticClosure(file: string, outputs: Map<string, Metafile['outputs'][string]>, projectRoot: string): Set<string> {
  const seen = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const output = outputs.get(next);
    if (!output) throw new Error(`esbuild's metafile does not list ${next}`);
    // Metafile paths are relative to the working directory, like its output keys.
    for (const imported of output.imports) if (imported.kind === 'import-statement' && !imported.external) pending.push(path.resolve(projectRoot, imported.path));
  }
  return seen;
}
