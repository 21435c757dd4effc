// `audit [n] [--user u] [--cluster c]`: the newest rows of the audit table, filtered (approvers and admins).
import type { AuditEntry } from '../../shared/storage';
import type { Handler } from '../handler';

/** Rows read at most for one answer: filters apply to the newest this many. */
const SCAN = 1000;

const line = (e: AuditEntry): string =>
  `${e.userName ? `${e.userName} (${e.userId})` : e.userId}: ${e.command} → ${e.result}` +
  `${e.errorCode ? ` ${e.errorCode}` : ''}${e.approvalId ? ` [${e.approvalId}]` : ''}`;

export const audit: Handler<'audit'> = async (cmd, ctx) => {
  const rows = (await ctx.deps.stores.audit.latest(SCAN))
    .filter(
      (e) =>
        (cmd.user === undefined || e.userId === cmd.user) &&
        (cmd.cluster === undefined || e.cluster?.toLowerCase() === cmd.cluster.toLowerCase()),
    )
    .slice(0, cmd.count);
  const filters = [cmd.user && `by ${cmd.user}`, cmd.cluster && `on ${cmd.cluster}`].filter(Boolean).join(' ');
  return {
    view: {
      kind: 'text',
      title: `Audit${filters ? ` ${filters}` : ''}`,
      text: rows.length ? `The latest ${rows.length}, newest first:` : 'Nothing recorded yet.',
      facts: rows.map((e) => ({ title: e.at.replace('T', ' ').slice(0, 19), value: line(e) })),
      actions: [],
    },
  };
};
