// ARM lists as AsyncIterables: one request per page, following nextLink with the same method (the POST
// lists — listOutputFiles, listRemoteLoginInformation — page by POSTing to nextLink).
import type { HttpMethods } from '@azure/core-rest-pipeline';
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
    const r = await http.send(method, target, first ? { query } : {});
    const where = describeRequest(method, /^https?:\/\//i.test(target) ? target : http.endpoint + target);
    const page: Page<T> = parsePage<T>(r.body, itemShape, where);
    yield* page.items;
    target = page.nextLink;
    first = false;
  }
}
