// An injected transport that records what the client really sent (for servers whose log we cannot read).
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

export interface SentRequest {
  method: string;
  url: string;
  status: number;
  at: number;
}

export function countingHttpClient(): { httpClient: HttpClient; sent: SentRequest[] } {
  const inner = createDefaultHttpClient();
  const sent: SentRequest[] = [];
  return {
    sent,
    httpClient: {
      async sendRequest(request) {
        const at = Date.now();
        const response = await inner.sendRequest(request);
        sent.push({ method: request.method, url: request.url, status: response.status, at });
        return response;
      },
    },
  };
}
