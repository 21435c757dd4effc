// Batch lists as AsyncIterables: one request per page, following `odata.nextLink` (which carries the query,
// so only the first request sends ours).
import { releasing } from '../core/collect';
import { describeRequest } from '../http/json-body';
import { parsePage, type Page } from './parse';
import type { BatchHttp, BatchSendOptions } from './pipeline';

/** The OData options every Batch list takes. */
export interface ListOptions {
  filter?: string;
  /** Only these properties per item (the poller diffs a handful of a job's fields). */
  select?: readonly string[];
  expand?: string;
  /** Items per page, 1..1000 (the service's default and maximum is 1000). */
  maxResults?: number;
  abortSignal?: AbortSignal;
}

export function listQuery(o: ListOptions = {}): BatchSendOptions['query'] {
  return {
    $filter: o.filter,
    $select: o.select?.length ? o.select.join(',') : undefined,
    $expand: o.expand,
    maxresults: o.maxResults,
  };
}

export async function* listAll<T>(
  http: BatchHttp,
  path: string,
  what: string,
  o: ListOptions = {},
  extraQuery: BatchSendOptions['query'] = {},
): AsyncGenerator<T, void, undefined> {
  let target: string | undefined = path;
  let first = true;
  while (target) {
    const query = first ? { ...listQuery(o), ...extraQuery } : undefined;
    const page: Page<T> = await pageAt<T>(http, target, what, { query, abortSignal: o.abortSignal });
    yield* releasing<T>(page.items);
    target = page.nextLink;
    first = false;
  }
}

/** One page, parsed: the answer (its text, its JSON as sent) is not held while the page's items are handed out. */
async function pageAt<T>(http: BatchHttp, target: string, what: string, opts: BatchSendOptions): Promise<Page<T>> {
  const r = await http.send('GET', target, opts);
  return parsePage<T>(
    r.body,
    what,
    describeRequest('GET', /^https?:\/\//i.test(target) ? target : http.endpoint + target),
  );
}
