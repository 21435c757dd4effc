// Bolt's Receiver seam (init/start/stop) for a host that hands us one request at a time: there is no server to
// start. The `slack-turns` queue function runs each turn that intake.ts acknowledged through dispatch(); what a
// listener passes to ack() comes back as the response (Slack got its answer long before, so the transport
// drops it; the slash command says a failure on its response_url instead).
import type { App, Receiver } from '@slack/bolt';
import type { ChatResponse } from '../transport';
import type { SlackBody } from './body';

export interface Delivery {
  body: SlackBody;
  retryNum?: number;
  retryReason?: string;
  /** Reaches the listeners as `context.<name>`. */
  custom: Record<string, unknown>;
}

export class RequestReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  // Nothing listens on its own: the host calls dispatch() per request.
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Runs bolt on one verified request; 404 when no listener acknowledged it (nothing of ours handles it). */
  async dispatch(d: Delivery): Promise<ChatResponse> {
    if (!this.app) throw new Error('RequestReceiver: init(app) was not called (construct the App with this receiver).');
    let acked = false;
    let answer: unknown;
    await this.app.processEvent({
      body: d.body,
      ack: async (response?: unknown) => {
        // Bolt's own ReceiverMultipleAckError is a value import, which would load bolt with this file.
        if (acked) throw new Error('slack: ack() called more than once for one request');
        acked = true;
        answer = response;
      },
      ...(d.retryNum !== undefined ? { retryNum: d.retryNum } : {}),
      ...(d.retryReason ? { retryReason: d.retryReason } : {}),
      customProperties: d.custom,
    });
    if (!acked) return { status: 404, body: '' };
    if (answer === undefined || answer === null || answer === '') return { status: 200, body: '' };
    return typeof answer === 'string'
      ? { status: 200, body: answer }
      : { status: 200, headers: { 'content-type': 'application/json' }, body: answer };
  }
}
