// Writes the run's totals to .test-results/<run>-summary.json so that .ci/run can print each lane's counts and
// end with the plain line `tests: N passed, M failed`, whatever npm prints after jest. Suites that fail to load
// count as failed.
const fs = require('node:fs');
const { resultsPath } = require('./results-path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    fs.writeFileSync(
      resultsPath('summary.json'),
      JSON.stringify({
        passed: results.numPassedTests,
        failed,
        skipped: results.numPendingTests + results.numTodoTests,
        seconds: Math.round((Date.now() - results.startTime) / 100) / 10,
      }),
    );
  }
}
module.exports = SummaryReporter;
