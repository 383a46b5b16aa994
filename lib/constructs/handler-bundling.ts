/**
 * How every Lambda handler is bundled, in one place: the CDK construct (ScannerFunction) and the
 * benchmark's bundle-size and cold-init figures (bench/bundle-handlers.ts) both read these options,
 * so the benchmark measures exactly the code that is deployed. Plain data, no CDK import.
 */

/** The Lambda runtime the bundles are built for (ScannerFunction's FUNCTION_RUNTIME is Node.js 22). */
export const HANDLER_TARGET = 'node22';

export const HANDLER_BUNDLING = {
  platform: 'node',
  target: HANDLER_TARGET,
  /** ES module output (`index.mjs`): esbuild bundles the AWS SDK's ES builds (dist-es) and tree-shakes them. */
  format: 'esm',
  mainFields: ['module', 'main'],
  /** CommonJS dependencies bundled into ESM still call require() for Node built-ins. */
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  /** Nothing external: the AWS SDK is bundled (tree-shaken, pinned to the version the tests ran with). */
  externalModules: [] as string[],
  /**
   * Code splitting (applied by the afterBundling re-bundle, ./schema-keys-bundle: NodejsFunction's own
   * esbuild run writes one --outfile and cannot split): every dynamic `import()` becomes a chunk of its
   * own, loaded on first use instead of parsed at cold start. The SDK's credential providers other than
   * the environment's (SSO, INI, web identity, IMDS and their nested clients), the S3 client of large
   * reports and the Security Hub export are such imports; in Lambda, where the credentials are in the
   * environment, most of them are never loaded. Chunks shared by several imports are chunks too.
   */
  splitting: true,
  /** Where the chunks go, inside the asset directory beside `index.mjs`. */
  chunkNames: 'chunks/[name]-[hash]',
} as const;

/** The output file name inside the asset directory (NodejsFunction's name for ESM output). */
export const HANDLER_OUTPUT_FILE = 'index.mjs';
