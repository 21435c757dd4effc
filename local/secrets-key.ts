// The local stack's SECRETS_KEY: generated on the first start into the data folder, read on every later one,
// so approvals and Slack turns sealed before a restart still open after it (Azurite keeps them there too).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function localSecretsKey(dataDir: string): string {
  const file = join(dataDir, 'secrets-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  // wx: two starts racing on the first run keep the key that landed first.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readFileSync(file, 'utf8').trim();
  }
  return key;
}
