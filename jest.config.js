/** Jest: ts-jest transpiles TypeScript (type-checking is `npm run typecheck`), and also the
 *  ESM-only @middy packages, which jest cannot load untransformed. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs', moduleResolution: 'node' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  // A dynamic `import('./module.js')` of a TypeScript file (the spelling tsc requires for import();
  // esbuild resolves it to module.ts) is required here as './module'.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Two workers on the 2-core machines CI and developers have (jest's default leaves one core to the
  // idle parent): the suite runs in about half the time (measured 147 s against 329 s).
  maxWorkers: 2,
  // A worker with nothing left alive still needs time to wind down after its last file, and on a
  // loaded machine that passes jest's 500 ms default ("A worker process has failed to exit
  // gracefully"): with REPORT_LEAKED_HANDLES=1 no test file left a timer, socket, server or child
  // process alive, and workers exited 7-338 ms after their last file at load 9. A real leak would
  // still be reported, after 5 s instead of 0.5 s.
  workerGracefulExitTimeout: Number(process.env.JEST_GRACEFUL_MS ?? 5000),
  // REPORT_LEAKED_HANDLES=1 prints what each test file leaves alive (test/support/leak-reporting-environment.js).
  ...(process.env.REPORT_LEAKED_HANDLES === '1' ? { testEnvironment: '<rootDir>/test/support/leak-reporting-environment.js' } : {}),
};
