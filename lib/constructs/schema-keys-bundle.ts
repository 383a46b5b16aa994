/**
 * The handler bundle as deployed: NodejsFunction's esbuild options (./handler-bundling) plus the
 * SDK schema-keys plugin (./sdk-schema-keys-plugin), through esbuild's JavaScript API (plugins need
 * it; the esbuild binary NodejsFunction runs takes none). ScannerFunction keeps NodejsFunction and
 * runs this after NodejsFunction's own bundling (`commandHooks.afterBundling`, via
 * ./rebundle-handler-command), overwriting `index.mjs` and its map; bench/bundle-handlers.ts calls
 * the same function, so figures 7 and 8 measure the deployed code.
 */
import { existsSync, statSync } from 'node:fs';
import { build } from 'esbuild';
import { HANDLER_BUNDLING } from './handler-bundling';
import { sdkSchemaKeysPlugin } from './sdk-schema-keys-plugin';

export interface HandlerBundle {
  file: string;
  bytes: number;
  mapBytes: number;
}

export async function bundleWithSchemaKeys(entry: string, outfile: string, projectRoot: string): Promise<HandlerBundle> {
  await build({
    entryPoints: [entry],
    outfile,
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
  return { file: outfile, bytes: statSync(outfile).size, mapBytes: existsSync(`${outfile}.map`) ? statSync(`${outfile}.map`).size : 0 };
}
