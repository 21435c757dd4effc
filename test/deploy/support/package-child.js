// Run by test/deploy/app-package-run.test.ts inside the unpacked deploy zip, as the Functions worker would run
// it: the entry point registers every function through `@azure/functions-core` (the worker's built-in module; the
// test puts a recording stand-in on NODE_PATH), then each lazily required service graph is loaded from the
// package's own node_modules, so a file the packaging left out fails here.
const { join } = require('node:path');

const app = process.argv[2];
const core = require('@azure/functions-core');
require(join(app, 'dist/functions/index.js'));
for (const graph of ['backend-services', 'services', 'slack-intake']) require(join(app, 'dist/functions', graph));
const outside = Object.keys(require.cache).filter((k) => !k.startsWith(app) && !k.includes('functions-core'));
process.stdout.write(`${JSON.stringify({ registered: core.registered, outside })}\n`);
