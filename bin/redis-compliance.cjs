#!/usr/bin/env node
// The installed `redis-compliance` command: runs the TypeScript CLI through tsx.
require('tsx/cjs/api').register();
require('./cli.ts');
