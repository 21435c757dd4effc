// A tiny real bot for the chat tests: botbuilder's CloudAdapter (no app id: the local/emulator mode) behind
// node:http. `card` → an Adaptive Card with buttons; a button press (value.command) → "pressed <command>";
// `slow card` → a card now, updated in place 300 ms later; anything else → "echo: <text>".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TurnContext,
} from 'botbuilder';

export function jobCard(state: string): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Job job7', weight: 'Bolder', size: 'Medium' },
      {
        type: 'FactSet',
        facts: [
          { title: 'State', value: state },
          { title: 'Exit code', value: '0' },
        ],
      },
      { type: 'TextBlock', text: 'epoch 1\nepoch 2', fontType: 'Monospace', wrap: true },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Refresh', data: { command: 'job job7' } },
      { type: 'Action.Submit', title: 'Logs', data: { command: 'logs job7' } },
      { type: 'Action.OpenUrl', title: 'stdout.txt', url: 'http://127.0.0.1/files/stdout.txt' },
    ],
  };
}

export async function startEchoBot(): Promise<{ url: string; adapter: CloudAdapter; stop(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const pending = new Set<Promise<unknown>>();
  const logic = async (ctx: TurnContext) => {
    const a = ctx.activity;
    if (a.type !== 'message') return;
    const command = (a.value as { command?: string } | undefined)?.command;
    if (command) {
      await ctx.sendActivity(`pressed ${command}`);
    } else if (a.text === 'card') {
      await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(jobCard('running'))));
    } else if (a.text === 'slow card') {
      const sent = await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(jobCard('queued'))));
      const reference = TurnContext.getConversationReference(a);
      const later = new Promise((r) => setTimeout(r, 300)).then(() =>
        adapter.continueConversationAsync('', reference, async (c) => {
          const update = MessageFactory.attachment(CardFactory.adaptiveCard(jobCard('succeeded')));
          update.id = sent?.id;
          await c.updateActivity(update);
        }),
      );
      pending.add(later);
      void later.finally(() => pending.delete(later));
    } else {
      await ctx.sendActivity(`echo: ${a.text}`);
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const shim = {
        socket: req.socket,
        status: (code: number) => {
          res.statusCode = code;
        },
        header: (name: string, value: unknown) => res.setHeader(name, String(value)),
        send: (b?: unknown) => {
          if (b !== undefined) res.write(typeof b === 'string' ? b : JSON.stringify(b));
        },
        end: () => res.end(),
      };
      adapter.process({ body, headers: req.headers, method: req.method }, shim, logic).catch((e: Error) => {
        res.statusCode = 500;
        res.end(e.message);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    adapter,
    async stop() {
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
