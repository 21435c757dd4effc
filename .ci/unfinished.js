// After a run was stopped for taking too long: prints the test files that had started and not finished, and
// the test each was in, from the progress file that test/support/reporters/progress-reporter.js keeps.
const fs = require('node:fs');

const file = process.argv[2];
let running = {};
try {
  running = JSON.parse(fs.readFileSync(file, 'utf8')).running;
} catch (e) {
  console.log(`  (no progress recorded in ${file}: ${e.message}; jest may not have started any test file)`);
  process.exit(0);
}
const entries = Object.entries(running);
if (entries.length === 0) console.log('  (no test file was running: jest hung before or after the tests, e.g. on an open handle)');
for (const [path, { startedAt, test }] of entries) {
  console.log(`  still running: ${path} (started ${startedAt})${test ? `, in test "${test}"` : ''}`);
}
