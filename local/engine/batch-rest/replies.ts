// Answers shared by the Batch handlers: lists with $filter/$select/paging, creations (201) and accepted
// changes (202) with the headers the service sends, and the conditional headers (If-Match, If-None-Match).
import { isRecord } from '../../../shared/core/json-shape';
import { BatchHttpError } from './batch-http-error';
import type { BatchFacade, BatchRequest } from './facade';
import type { Reply } from './http-io';
import { page, parseFilter, select } from './odata';

export function record(body: unknown, name: string): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isRecord(body))
    throw new BatchHttpError(
      400,
      'InvalidRequestBody',
      `The specified Request Body is not syntactically valid: ${name}: expected a JSON object.`,
    );
  return body;
}

/** `view` runs only for the items a page needs (all of them when there is a $filter to apply). */
export function listReply<T>(
  f: BatchFacade,
  r: BatchRequest,
  set: string,
  items: T[],
  view: (t: T) => object = (t) => t as object,
): Reply {
  const filter = r.url.searchParams.get('$filter');
  const keep = parseFilter(filter);
  const chosen: unknown[] = filter ? items.map(view).filter((v) => keep(v as Record<string, unknown>)) : items;
  const p = page(chosen, r.url, f.baseUrl);
  const value = p.items.map((e) =>
    select((filter ? e : view(e as T)) as Record<string, unknown>, r.url.searchParams.get('$select')),
  );
  return {
    status: 200,
    json: {
      'odata.metadata': `${f.baseUrl}/$metadata#${set}`,
      value,
      ...(p.nextLink ? { 'odata.nextLink': p.nextLink } : {}),
    },
  };
}

/** What the service sends on every change: the entity's id URL, when it changed and (when known) its new ETag. */
function serviceHeaders(f: BatchFacade, path: string, eTag?: string): Record<string, string> {
  return {
    DataServiceId: `${f.baseUrl}${path}`,
    'Last-Modified': new Date(f.core.now()).toUTCString(),
    ...(eTag ? { ETag: eTag } : {}),
  };
}

export function created(f: BatchFacade, path: string, eTag?: string): Reply {
  return { status: 201, headers: { ...serviceHeaders(f, path, eTag), Location: `${f.baseUrl}${path}` } };
}

export function accepted(f: BatchFacade, path: string, eTag?: string): Reply {
  return { status: 202, headers: serviceHeaders(f, path, eTag) };
}

/** A change answered 200 (update, enable/disable auto-scale, replace). */
export function updated(f: BatchFacade, path: string, eTag?: string): Reply {
  return { status: 200, headers: serviceHeaders(f, path, eTag) };
}

/**
 * If-Match (a write, or a read that must see this version) → 412 ConditionNotMet when the ETag differs;
 * If-None-Match on a read → 304 when it is the same. Returns the view for chaining.
 */
export function requireMatch<T extends { eTag?: string }>(r: BatchRequest, view: T, isRead = false): T {
  const ifMatch = r.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch.replace(/"/g, '') !== view.eTag) {
    throw new BatchHttpError(
      412,
      'ConditionNotMet',
      'The condition specified using HTTP conditional header(s) is not met.',
    );
  }
  const ifNone = r.headers['if-none-match'];
  if (typeof ifNone === 'string' && (ifNone === '*' || ifNone.replace(/"/g, '') === view.eTag)) {
    if (isRead)
      throw new BatchHttpError(
        304,
        'NotModified',
        'The entity has not changed.',
        [],
        view.eTag ? { ETag: view.eTag } : {},
      );
    throw new BatchHttpError(
      412,
      'ConditionNotMet',
      'The condition specified using HTTP conditional header(s) is not met.',
    );
  }
  return view;
}
