// The four shapes every Batch AI call takes: GET a resource, PUT/PATCH one (possibly long-running, then GET
// it), DELETE or POST an action (possibly long-running, nothing to return).
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { describeRequest } from '../http/json-body';
import { completeLro, type PollOptions } from './lro';
import { parseResource } from './parse';
import type { ArmHttp } from './pipeline';
import type { LroOptions } from './port';

export interface ResourceOps {
  get<T>(path: string, shape: string, abortSignal?: AbortSignal): Promise<T>;
  /** PUT or PATCH; an initial 200/201 body is the result, otherwise the resource is read after the operation. */
  write<T>(method: 'PUT' | 'PATCH', path: string, body: unknown, shape: string, opts?: LroOptions): Promise<T>;
  /** DELETE, or POST to an action such as `/terminate`. */
  act(method: 'DELETE' | 'POST', path: string, opts?: LroOptions): Promise<void>;
}

export function resourceOps(http: ArmHttp, poll: Omit<PollOptions, 'abortSignal'>): ResourceOps {
  const where = (method: HttpMethods, path: string): string => describeRequest(method, http.endpoint + path);

  async function get<T>(path: string, shape: string, abortSignal?: AbortSignal): Promise<T> {
    const r = await http.send('GET', path, { abortSignal });
    return parseResource<T>(r.body, shape, where('GET', path));
  }

  return {
    get,
    async write<T>(
      method: 'PUT' | 'PATCH',
      path: string,
      body: unknown,
      shape: string,
      opts: LroOptions = {},
    ): Promise<T> {
      const r = await http.send(method, path, { body, abortSignal: opts.abortSignal });
      if ((r.status === 200 || r.status === 201) && r.body !== undefined)
        return parseResource<T>(r.body, shape, where(method, path));
      await completeLro(http, r, opts.wait !== false, { ...poll, abortSignal: opts.abortSignal });
      return get<T>(path, shape, opts.abortSignal);
    },
    async act(method: 'DELETE' | 'POST', path: string, opts: LroOptions = {}): Promise<void> {
      const r = await http.send(method, path, { abortSignal: opts.abortSignal });
      await completeLro(http, r, opts.wait !== false, { ...poll, abortSignal: opts.abortSignal });
    },
  };
}
