// Records which test files (and which test in each) have started and not finished, in
// .test-results/<run>-progress.json, rewritten at every step. When a run is killed for taking too long, that
// file names what hung (.ci/unfinished.js prints it). Also the hang guard: if jest has not exited some
// seconds after the run completed, something a test started is still open (a server, a child, a timer);
// the process then fails with that said, instead of hanging until the CI timeout.
const fs = require('node:fs');
const path = require('node:path');
const { resultsPath } = require('./results-path');

const EXIT_GRACE_MS = 15_000;

class ProgressReporter {
  constructor(globalConfig) {
    // In watch mode jest stays up between runs by design.
    this.guardExit = !globalConfig.watch && !globalConfig.watchAll;
    this.file = resultsPath('progress.json');
    this.running = {};
    this.write();
  }

  write() {
    fs.writeFileSync(this.file, JSON.stringify({ running: this.running }, null, 1));
  }

  name(test) {
    return path.relative(process.cwd(), test.path);
  }

  onTestFileStart(test) {
    this.running[this.name(test)] = { startedAt: new Date().toISOString() };
    this.write();
  }

  onTestCaseStart(test, info) {
    const entry = this.running[this.name(test)];
    if (entry) entry.test = info.fullName;
    this.write();
  }

  onTestCaseResult(test) {
    const entry = this.running[this.name(test)];
    if (entry) delete entry.test;
    this.write();
  }

  onTestFileResult(test) {
    delete this.running[this.name(test)];
    this.write();
  }

  onRunComplete() {
    if (!this.guardExit) return;
    const guard = setTimeout(() => {
      console.error(
        `jest: still running ${EXIT_GRACE_MS / 1000} s after the tests finished: a test left a server,` +
          ' a child process or a timer open (find it with --detectOpenHandles). Failing the run.',
      );
      process.exit(1);
    }, EXIT_GRACE_MS);
    guard.unref(); // a clean exit is not held up by the guard itself
  }
}
module.exports = ProgressReporter;
