// A recorded-page transport: what a backend's real service (here the engine's facade) answered for one
// workspace, played back for any number of workspaces through the real adapter and SDK clients. The scale bench
// records one workspace of 2,000 jobs and serves 50 from it: the same JSON pages on the wire, without the
// engine serving 100,000 jobs per tick on the machine's two cores. A request is matched by its path and query with
// the workspace's name replaced by the template's; the answer gets the asker's name and origin back.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** path + query (template workspace name) → answer. */
export type Recording = Record<string, RecordedAnswer>;

const ORIGIN = '{{origin}}';

/** Records every answer of `inner`, keyed by path and query; `take` hands over what was recorded since. */
export function recordingTransport(inner: HttpClient = createDefaultHttpClient()): {
  httpClient: HttpClient;
  take: () => Recording;
} {
  let recording: Recording = {};
  return {
    httpClient: {
      async sendRequest(request) {
        const response = await inner.sendRequest(request);
        const url = new URL(request.url);
        recording[url.pathname + url.search] = {
          status: response.status,
          headers: response.headers.toJSON(),
          body: (response.bodyAsText ?? '').replaceAll(url.origin, ORIGIN),
        };
        return response;
      },
    },
    take: () => {
      const r = recording;
      recording = {};
      return r;
    },
  };
}

/**
 * Azure ML's reads that find a workspace's run history: the workspace, then its discovery document. The adapter
 * makes them once per workspace (the document once per URL) in a process, and each measured tick is a new one.
 */
const DISCOVERY = /\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+$|\/discovery$/i;

/**
 * Serves `recording` for workspaces named like `template` with its digits changed (`wsa00` → `wsa17`), found in
 * the request's path or host. Counts requests, pages among them (answers holding a `value` list) and Azure ML's
 * run-history discovery reads.
 */
export function replayTransport(
  recording: () => Recording,
  template: string,
): { httpClient: HttpClient; requests: () => number; pages: () => number; discovery: () => number; reset: () => void } {
  const pattern = new RegExp(template.replace(/\d+$/, '\\d+'));
  const names = new RegExp(`${template}|${ORIGIN.replace(/[{}]/g, '\\$&')}`, 'g');
  let requests = 0;
  let pages = 0;
  let discovery = 0;
  return {
    httpClient: {
      async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
        requests++;
        const url = new URL(request.url);
        const name = pattern.exec(url.host + url.pathname)?.[0] ?? template;
        const key = (url.pathname + url.search).replace(pattern, template);
        const answer = recording()[key];
        if (!answer) throw new Error(`recorded pages: nothing recorded for GET ${key}`);
        if (answer.body.startsWith('{"value":') || answer.body.includes('"value":[')) pages++;
        else if (DISCOVERY.test(url.pathname)) discovery++;
        return {
          request,
          status: answer.status,
          headers: createHttpHeaders(answer.headers),
          // One pass, one copy of the page, as a service's answer is read once: the tick's memory is the product's.
          bodyAsText: answer.body.replace(names, (m) => (m === ORIGIN ? url.origin : name)),
        };
      },
    },
    requests: () => requests,
    pages: () => pages,
    discovery: () => discovery,
    reset: () => {
      requests = 0;
      pages = 0;
      discovery = 0;
    },
  };
}
