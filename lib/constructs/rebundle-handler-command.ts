/**
 * `node --import tsx lib/constructs/rebundle-handler-command.ts <entry.ts> <outfile.mjs>`: re-bundles
 * one handler with the schema-keys plugin and code splitting (./schema-keys-bundle; the chunks go to
 * `chunks/` beside the outfile). ScannerFunction's
 * `commandHooks.afterBundling` runs it after NodejsFunction's esbuild run (CDK's local bundling is
 * synchronous and esbuild plugins need the asynchronous API, hence a child process).
 */
import * as path from 'node:path';
import { bundleWithSchemaKeys } from './schema-keys-bundle';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<void> {
  const [entry, outfile] = argv;
  if (!entry || !outfile) throw new Error('usage: rebundle-handler-command.ts <entry.ts> <outfile.mjs>');
  const bundled = await bundleWithSchemaKeys(path.resolve(entry), path.resolve(outfile), PROJECT_ROOT);
  process.stdout.write(`${path.relative(PROJECT_ROOT, entry)} -> ${bundled.file} (${bundled.bytes} bytes + ${bundled.chunks.length} chunks, ${bundled.initBytes} bytes loaded at cold start; schema keys inlined)\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
