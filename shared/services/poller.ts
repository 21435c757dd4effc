// One poll tick: for every configured workspace, observe (observe.ts), diff against the snapshot rows
// (core/diff.ts), enqueue the events, then write the changed rows. Enqueue comes first: a crash between the
// two re-emits the same event ids next tick (dropped by the notifier's markers) instead of losing them.
// Workspaces are independent: one failing is recorded once (pollstatus row) and logged when it starts
// failing and when it recovers, not every tick.
import type { WorkspaceRef } from '../batchai/port';
import { diffWorkspace } from '../core/diff';
import { toError } from '../errors';
import type { BackendStores } from '../storage/index';
import { observeWorkspace, type ListingPort } from './observe';

export interface PollerDeps {
  batchAi: ListingPort;
  workspaces: WorkspaceRef[];
  stores: Pick<BackendStores, 'snapshots' | 'pollStatus' | 'events'>;
  log?: (line: string) => void;
  now?: () => Date;
  /** Experiments listed at once per workspace (default 8). */
  concurrency?: number;
}

export interface WorkspaceTick {
  workspace: string;
  ok: boolean;
  events: number;
  /** Queue messages sent. */
  messages: number;
  /** Table transactions submitted for snapshot rows. */
  transactions: number;
  error?: string;
}

export interface TickReport { at: string; workspaces: WorkspaceTick[] }

export interface Poller { tick(): Promise<TickReport> }

const wsName = (ws: WorkspaceRef) => `${ws.resourceGroup}/${ws.workspace}`;

export function createPoller(deps: PollerDeps): Poller {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const { snapshots, pollStatus, events } = deps.stores;

  async function pollWorkspace(ws: WorkspaceRef, at: string): Promise<Omit<WorkspaceTick, 'workspace' | 'ok'>> {
    const observed = await observeWorkspace(deps.batchAi, ws, deps.concurrency ?? 8);
    const previous = await snapshots.load(ws);
    const diff = diffWorkspace(ws, previous.rows, observed, !previous.baselined);
    const messages = diff.events.length > 0 ? await events.enqueue(ws, diff.events, at) : 0;
    const transactions = await snapshots.write(ws, { upserts: diff.upserts, deletes: diff.deletes, markBaselined: !previous.baselined });
    return { events: diff.events.length, messages, transactions };
  }

  return {
    async tick() {
      const at = now().toISOString();
      const failing = new Set((await pollStatus.failing()).map((f) => f.workspace));
      const results = await Promise.all(deps.workspaces.map(async (ws): Promise<WorkspaceTick> => {
        const name = wsName(ws);
        try {
          const r = await pollWorkspace(ws, at);
          if (failing.has(name) && (await pollStatus.recover(ws))) log(`poll: workspace ${name} recovered`);
          return { workspace: name, ok: true, ...r };
        } catch (e) {
          const error = toError(e).message;
          // Recording the failure must not hide it: if even that fails, the tick's report still carries it.
          if (!failing.has(name)) {
            const first = await pollStatus.startFailing(ws, error).catch(() => true);
            if (first) log(`poll: workspace ${name} is failing: ${error}`);
          }
          return { workspace: name, ok: false, events: 0, messages: 0, transactions: 0, error };
        }
      }));
      return { at, workspaces: results };
    },
  };
}
