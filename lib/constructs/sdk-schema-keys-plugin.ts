/**
 * An esbuild plugin that lets esbuild tree-shake the AWS SDK's schema modules.
 *
 * Each SDK v3 client keeps the schema of every operation and shape of its service in one module
 * (`dist-es/schemas/schemas_0.js`; 3,400 exports for EC2). Shapes carry trait objects with computed
 * keys naming module constants: `{ [_xN]: _TSa }` with `const _xN = "xmlName"`. esbuild cannot
 * prove a computed key free of side effects (it could call toString), so it keeps every shape that
 * has one, used or not: about 490 kB of the EC2 client alone in a bundle that calls 8 operations.
 *
 * The plugin rewrites such a key to the string the constant holds (`{ "xmlName": _TSa }`), only
 * for constants declared in the same module as `const _name = "<plain string>";`. That is the
 * same object; esbuild then drops the shapes nothing references. The rewrite was checked by
 * comparing, for every schema module installed, all exports with and without it (same structure,
 * thunks followed).
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** SDK v3 schema modules: `@aws-sdk/<package>/dist-es/[...]/schemas/schemas_<n>.js`. */
export const SDK_SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;

const STRING_CONSTANT = /^const (_[A-Za-z0-9]+) = ("[^"\\\n]*");$/gm;
const COMPUTED_KEY = /\[(_[A-Za-z0-9]+)\]:/g;

/** The module's source with computed keys that name a string constant replaced by that string. */
export function inlineSchemaKeys(source: string): string {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) constants.set(name!, literal!);
  return source.replace(COMPUTED_KEY, (key, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? key : `${literal}:`;
  });
}

export const sdkSchemaKeysPlugin: Plugin = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({ contents: inlineSchemaKeys(await readFile(args.path, 'utf8')), loader: 'js' }));
  },
};
