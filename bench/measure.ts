// Measuring helpers shared by the benchmarks: requests counted on the wire, and percentiles of latencies.
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

/** The default transport, counting requests: a figure is what really went over the wire. */
/** Counts requests through `inner` (default: core-rest-pipeline's own client). */
export function countingTransport(inner: HttpClient = createDefaultHttpClient()): {
  httpClient: HttpClient;
  count: () => number;
  reset: () => void;
} {
  let n = 0;
  return {
    httpClient: {
      sendRequest: (req) => {
        n++;
        return inner.sendRequest(req);
      },
    },
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

/** The nearest-rank percentile `p` (0-100] of ascending `sorted`; NaN when there is nothing to rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}
