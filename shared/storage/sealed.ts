// Secret values at rest: AES-256-GCM under the app's SECRETS_KEY (32 bytes; a Key Vault reference in Azure,
// generated into the local settings on the first local start). Used for what a table keeps that may hold a
// secret value: a waiting submit's request (the approvals table) and a chat turn's body (the slackturns and
// cardactions tables: a submit typed in chat or on a card carries its parameter values). The row's own key is
// bound in as associated data, so a sealed value copied into another row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { StorageTarget } from './table';

const PREFIX = 'sealed:v1:';

// Without a configured key (tests, a one-off tool) a process seals with a key of its own: what it writes is
// readable by itself only, never kept in plain text.
const PROCESS_KEY = randomBytes(32);

/** The key a storage target seals with. */
export function sealingKey(target: StorageTarget): Buffer {
  return (typeof target === 'string' ? undefined : target.secretsKey) ?? PROCESS_KEY;
}

export const isSealed = (s: string): boolean => s.startsWith(PREFIX);

/** `text` sealed under `key`, bound to `context` (the row it is written to). */
export function seal(text: string, key: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64')}.${body.toString('base64')}.${cipher.getAuthTag().toString('base64')}`;
}

/** The text `sealed` holds, or undefined when it does not open with `key` for `context` (another key, or altered). */
export function unseal(sealed: string, key: Buffer, context: string): string | undefined {
  const [iv, body, tag] = sealed.slice(PREFIX.length).split('.');
  if (!isSealed(sealed) || iv === undefined || body === undefined || tag === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: 16 }).setAAD(
      Buffer.from(context),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    // A wrong key or an altered row: GCM's tag does not verify. The caller says what that means for its row.
    return undefined;
  }
}
