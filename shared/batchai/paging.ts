// ARM lists as AsyncIterables: one request per page, following nextLink with the same method (the POST
// lists — listOutputFiles, listRemoteLoginInformation — page by POSTing to nextLink).
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { releasing } from '../core/collect';
import { describeRequest } from '../http/json-body';
import { parsePage, type Page } from './parse';
import type { ArmHttp, SendOptions } from './pipeline';

export async function* listAll<T>(
  http: ArmHttp,
  method: HttpMethods,
  path: string,
  itemShape: string,
  query?: SendOptions['query'],
): AsyncGenerator<T, void, undefined> {
  let target: string | undefined = path;
  let first = true;
  while (target) {
    const page: Page<T> = await pageAt<T>(http, method, target, itemShape, first ? query : undefined);
    yield* releasing<T>(page.items);
    target = page.nextLink;
    first = false;
  }
}

/** One page, parsed: the answer (its text, its JSON as sent) is not held while the page's items are handed out. */
async function pageAt<T>(
  http: ArmHttp,
  method: HttpMethods,
  target: string,
  itemShape: string,
  query: SendOptions['query'] | undefined,
): Promise<Page<T>> {
  const r = await http.send(method, target, query ? { query } : {});
  const where = describeRequest(method, /^https?:\/\//i.test(target) ? target : http.endpoint + target);
  return parsePage<T>(r.body, itemShape, where);
}
