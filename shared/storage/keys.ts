// Table Storage keys may not contain / \ # ? or control characters (and ARM ids are full of `/`): every key
// built from a name or an id goes through encodeKey, a reversible %XX escape of just those characters.
import type { WorkspaceRef } from '../compute/model';
import { workspaceLabel } from '../core/arm-names';

// biome-ignore lint/suspicious/noControlCharactersInRegex: table keys may not hold control characters
const FORBIDDEN = /[%/\\#?\u0000-\u001f\u007f-\u009f]/g;

export function encodeKey(raw: string): string {
  return raw.replace(FORBIDDEN, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function decodeKey(key: string): string {
  return key.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The partition (or row) key of a workspace's rows: its encoded label, which decodeKey turns back. */
export const workspaceKey = (ws: WorkspaceRef): string => encodeKey(workspaceLabel(ws));
