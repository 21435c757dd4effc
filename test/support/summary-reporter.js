// Writes the run's totals to .test-results/summary.json so that .ci/run can end with the plain line
// `tests: N passed, M failed` whatever npm prints after jest. Suites that fail to load count as failed.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const dir = path.join(process.cwd(), '.test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({ passed: results.numPassedTests, failed, skipped: results.numPendingTests }),
    );
  }
}
module.exports = SummaryReporter;
