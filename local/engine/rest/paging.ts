// List answers: `{value, nextLink?}` pages of at most `maxresults` (1-1000, default 1000), continued by a
// nextLink carrying `$skiptoken` (an offset), as the service's lists were.
import { API_VERSION } from '../../../shared/core/batchai-paths';
import { ArmHttpError } from './arm-error';
import type { Reply } from './http-io';
import type { RequestCtx } from './router';

export function intQuery(ctx: RequestCtx, name: string, def: number, min: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ArmHttpError(
      400,
      'InvalidQueryParameterValue',
      `Query parameter '${name}' must be an integer from ${min} to ${max}, got '${raw}'.`,
    );
  }
  return n;
}

export function pageWindow(ctx: RequestCtx): { offset: number; max: number } {
  return {
    offset: intQuery(ctx, '$skiptoken', 0, 0, Number.MAX_SAFE_INTEGER),
    max: intQuery(ctx, 'maxresults', 1000, 1, 1000),
  };
}

/** The nextLink for the page starting at `offset`, keeping the request's other query parameters. */
export function nextLink(ctx: RequestCtx, offset: number, max: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of ctx.query) if (k !== '$skiptoken' && k !== 'maxresults' && k !== 'api-version') q.set(k, v);
  q.set('api-version', API_VERSION);
  q.set('maxresults', String(max));
  q.set('$skiptoken', String(offset));
  return `${ctx.baseUrl}${ctx.path}?${q.toString()}`;
}

export function pageOf<T>(ctx: RequestCtx, items: T[], view: (item: T) => unknown): Reply {
  const { offset, max } = pageWindow(ctx);
  const page = items.slice(offset, offset + max);
  const more = offset + max < items.length;
  return {
    status: 200,
    body: { value: page.map(view), ...(more ? { nextLink: nextLink(ctx, offset + max, max) } : {}) },
  };
}
