// Where a jest run writes its results: .test-results/<TEST_RUN_NAME>-<suffix>, so that the runs of one CI
// (each lane, each Node version) keep their own files. TEST_RUN_NAME defaults to "jest".
const fs = require('node:fs');
const path = require('node:path');

function resultsPath(suffix) {
  const dir = path.join(process.cwd(), '.test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${process.env.TEST_RUN_NAME || 'jest'}-${suffix}`);
}

module.exports = { resultsPath };
