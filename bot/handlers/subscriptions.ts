// `subscribe`, `unsubscribe`, `subscriptions`: rows in Table Storage that the notify function matches events to.
import type { SubscriptionFilter } from '../../shared/core/commands';
import type { Handler } from '../handler';

export function describeFilter(f: SubscriptionFilter, userId?: string): string {
  const parts: string[] = [];
  if (f.job) parts.push(`job ${f.experiment ? `${f.experiment}/` : ''}${f.job}`);
  else if (f.experiment) parts.push(`experiment ${f.experiment}`);
  if (f.cluster) parts.push(`cluster ${f.cluster}`);
  if (f.submittedBy) parts.push(f.submittedBy === userId ? 'jobs you submit' : `jobs submitted by ${f.submittedBy}`);
  const what = parts.length ? parts.join(', ') : 'everything';
  const states = f.states?.length ? f.states.join(', ') : 'succeeded, failed, cluster changes';
  return `${what} in ${f.workspace ?? 'the default workspace'}: ${states}`;
}

export const subscribe: Handler<'subscribe'> = async (cmd, ctx) => {
  const { ref } = await ctx.scope();
  const filter: SubscriptionFilter = { ...cmd.filter, workspace: cmd.filter.workspace ?? ref.workspace };
  if (cmd.mine) filter.submittedBy = ctx.turn.userId;
  const sub = await ctx.deps.stores.subscriptions.add(ctx.turn.conversationId, filter, ctx.turn.userId);
  return {
    view: {
      kind: 'text',
      title: 'Subscribed',
      text: `This conversation will get alerts for ${describeFilter(filter, ctx.turn.userId)}.`,
      facts: [{ title: 'Id', value: sub.id }],
      actions: [
        { title: 'Unsubscribe', command: `unsubscribe ${sub.id}`, style: 'destructive' },
        { title: 'All subscriptions', command: 'subscriptions' },
      ],
    },
  };
};

export const unsubscribe: Handler<'unsubscribe'> = async (cmd, ctx) => {
  const removed = await ctx.deps.stores.subscriptions.remove(ctx.turn.conversationId, cmd.id);
  const text =
    removed === 0
      ? cmd.id
        ? `No subscription ${cmd.id} in this conversation.`
        : 'This conversation had no subscriptions.'
      : `Removed ${removed} subscription${removed === 1 ? '' : 's'}.`;
  return {
    view: { kind: 'text', title: 'Unsubscribe', text, actions: [{ title: 'Subscriptions', command: 'subscriptions' }] },
  };
};

export const subscriptions: Handler<'subscriptions'> = async (_cmd, ctx) => {
  const subs = await ctx.deps.stores.subscriptions.list(ctx.turn.conversationId);
  return {
    view: {
      kind: 'subscription-list',
      subscriptions: subs.map((s) => ({
        id: s.id,
        filter: s.filter,
        description: describeFilter(s.filter, ctx.turn.userId),
      })),
    },
  };
};
