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
};
