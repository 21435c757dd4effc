// One request through a client's pipeline. A failure with no answer at all (refused, reset, DNS) becomes the
// client's own ServiceUnreachable error, naming the method, the path and the origin: never the query, which may
// hold a SAS.
import {
  isRestError,
  type HttpClient,
  type Pipeline,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { describeRequest } from './json-body';

export async function sendOrUnreachable(
  pipeline: Pipeline,
  httpClient: HttpClient,
  request: PipelineRequest,
  unreachable: (message: string) => Error,
): Promise<PipelineResponse> {
  try {
    return await pipeline.sendRequest(httpClient, request);
  } catch (e) {
    if (isRestError(e) && e.response === undefined && e.code) {
      throw unreachable(
        `${describeRequest(request.method, request.url)}: could not reach ${new URL(request.url).origin} (${e.code}).`,
      );
    }
    throw e;
  }
}
