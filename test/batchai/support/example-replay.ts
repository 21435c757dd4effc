// Replays a swagger example over HTTP: the example's request (method + path from the swagger template, filled
// with the example's parameters) gets the example's responses. An example with a 202 is played as the
// service would: 202 with its headers (Location moved onto this server), then the final status on the poll,
// then the 200 body for the resource GET that follows a PUT.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedRequest, ScriptedAnswer } from './scripted-server';

export interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { headers?: Record<string, string | number>; body?: unknown }>;
}

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'fixtures', 'batchai-examples');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadExample(file: string): Example {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Example;
}

export function fillTemplate(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (typeof v !== 'string') throw new Error(`example has no parameter ${name}`);
    return encodeURIComponent(v);
  });
}

function onThisServer(url: string, serverUrl: string): string {
  const u = new URL(url);
  return `${serverUrl}${u.pathname}${u.search}`;
}

/** A script answering one example; `path` is the filled request path. */
export function replay(example: Example, method: string, path: string, serverUrl: string) {
  const r = example.responses;
  const accepted = r['202'];
  const final = r['204'] ? 204 : 200;
  const pollPath = accepted?.headers?.Location ? new URL(String(accepted.headers.Location)).pathname : undefined;
  let acceptedSent = false;
  return (req: LoggedRequest): ScriptedAnswer => {
    if (req.method === method && req.path === path) {
      if (accepted && !acceptedSent) {
        acceptedSent = true;
        const headers = { ...accepted.headers };
        if (headers.Location) headers.Location = onThisServer(String(headers.Location), serverUrl);
        return { status: 202, headers };
      }
      return r['200']?.body !== undefined ? { status: 200, body: r['200'].body } : { status: final };
    }
    if (req.method === 'GET' && req.path === pollPath) return { status: final };
    if (req.method === 'GET' && req.path === path && r['200']?.body !== undefined)
      return { status: 200, body: r['200'].body };
    return {
      status: 404,
      body: { error: { code: 'NoRoute', message: `example replay: unexpected ${req.method} ${req.path}` } },
    };
  };
}
