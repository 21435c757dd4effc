// A pipeline policy that counts Table writes (every request that is not a read), for the "nothing written on
// a tick where nothing changed" check in tests and the benchmark. A transaction ($batch) counts as one request.
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export interface WriteCounter {
  policy: PipelinePolicy;
  requests(): number;
  reset(): void;
}

export function createWriteCounter(): WriteCounter {
  let n = 0;
  return {
    policy: {
      name: 'countTableWrites',
      async sendRequest(request, next) {
        if (request.method !== 'GET' && request.method !== 'HEAD') n++;
        return next(request);
      },
    },
    requests: () => n,
    reset: () => {
      n = 0;
    },
  };
}
