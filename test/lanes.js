// The two test lanes. Unit: pure code (core, cards, grammar, policies, parsers): no server, no child process,
// no Azurite; the whole lane runs in seconds. Integration: everything else (real Azurite, the local engine,
// the functions host, the browser). A new test file is in the integration lane unless listed here.
// Entries are paths below test/: a folder (ending in /) or one file.
const UNIT = [
  'core/',
  'cards/',
  'architecture/',
  'bench/goals.test.ts',
  'approvals/approval-config.test.ts',
  'approvals/approval-policy.test.ts',
  'idle/idle-policy.test.ts',
  'backend/diff.test.ts',
  'backend/poll-memory.test.ts',
  'backend/first-pass.test.ts',
  'azurebatch/to-model.test.ts',
  'batchai/credential-delay.test.ts',
  'bot/error-view.test.ts',
  'bot/turn-input.test.ts',
  'files/file-tail-lines.test.ts',
  'local/ncrontab.test.ts',
  'config.test.ts',
  'deploy/key-vault-references.test.ts',
  'functions/health.test.ts',
  'azureml/to-model.test.ts',
];

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  UNIT,
  /** jest testMatch globs for the unit lane. */
  unitMatch: UNIT.map((p) => `<rootDir>/test/${p.endsWith('/') ? `${p}**/*.test.ts` : p}`),
  /** jest testPathIgnorePatterns (regexes) that leave the unit lane out of the integration lane. */
  unitIgnore: UNIT.map((p) => `<rootDir>/test/${escapeRegExp(p)}${p.endsWith('/') ? '' : '$'}`),
};
