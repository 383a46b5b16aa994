/**
 * `node --import tsx lib/constructs/bundle-handler-command.ts <entry.ts> <outDir>`: bundles one
 * handler with ./handler-bundling. CDK asks for local bundling synchronously and esbuild plugins
 * need its asynchronous API, so ScannerFunction runs this in a child process (as NodejsFunction
 * runs the esbuild binary).
 */
import * as path from 'node:path';
import { bundleHandler } from './handler-bundling';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

async function main(argv: readonly string[]): Promise<void> {
  const [entry, outDir] = argv;
  if (!entry || !outDir) throw new Error('usage: bundle-handler-command.ts <entry.ts> <outDir>');
  const bundled = await bundleHandler(path.resolve(entry), path.resolve(outDir), PROJECT_ROOT);
  process.stdout.write(`${path.relative(PROJECT_ROOT, entry)} -> ${bundled.file} (${bundled.bytes} bytes)\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
