// Jobs: PUT (202, or 200 with the existing job), DELETE and terminate (202, or 200 when already finished),
// listOutputFiles with signed download URLs, listRemoteLoginInformation.
import type { JobCreateParameters } from '../../../shared/batchai/types';
import { createJob, deleteJob, isJobDone, terminateJob } from '../core/jobs';
import { getJob, listJobs } from '../core/lookups';
import { listOutputFiles } from '../core/outputs';
import { ArmHttpError } from './arm-error';
import { checkJobPaths } from './body-paths';
import { expKey, jobKey } from './keys';
import { intQuery, nextLink, pageOf, pageWindow } from './paging';
import type { Route } from './router';
import { validateBody } from './validate';
import { iso, jobView, remoteLoginNodes } from './views';

const J =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}' +
  '/providers/Microsoft.BatchAI/workspaces/{workspaceName}/experiments/{experimentName}/jobs';

export const jobRoutes: Route[] = [
  { method: 'GET', template: J, handler: (ctx) => pageOf(ctx, listJobs(ctx.core, expKey(ctx)), jobView) },
  {
    method: 'GET',
    template: `${J}/{jobName}`,
    handler: (ctx) => ({ status: 200, body: jobView(getJob(ctx.core, jobKey(ctx))) }),
  },
  {
    method: 'PUT',
    template: `${J}/{jobName}`,
    handler: (ctx) => {
      const body = validateBody<JobCreateParameters>(ctx.body, 'JobCreateParameters');
      checkJobPaths(body);
      const k = jobKey(ctx);
      const { rec, created } = createJob(ctx.core, k, body.properties!);
      if (!created) return { status: 200, body: jobView(rec) };
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () => {
        const j = getJob(ctx.core, k);
        return j.uuid !== rec.uuid || j.provisioningState !== 'creating' ? 'Succeeded' : 'InProgress';
      });
    },
  },
  {
    method: 'DELETE',
    template: `${J}/{jobName}`,
    handler: (ctx) => {
      const k = jobKey(ctx);
      const uuid = getJob(ctx.core, k).uuid;
      deleteJob(ctx.core, k);
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        ctx.core.state.job(k)?.uuid === uuid ? 'InProgress' : 'Succeeded',
      );
    },
  },
  {
    method: 'POST',
    template: `${J}/{jobName}/terminate`,
    handler: (ctx) => {
      const k = jobKey(ctx);
      if (terminateJob(ctx.core, k) === 'finished') return { status: 200 };
      return ctx.ops.accepted(ctx.baseUrl, k.sub, ctx.core.region, () =>
        isJobDone(ctx.core, k) ? 'Succeeded' : 'InProgress',
      );
    },
  },
  // Generated SDKs follow a POST list's nextLink with GET, so both methods answer.
  ...(['POST', 'GET'] as const).map(
    (method): Route => ({
      method,
      template: `${J}/{jobName}/listOutputFiles`,
      handler: async (ctx) => {
        const outputDirectoryId = ctx.query.get('outputdirectoryid');
        if (!outputDirectoryId) {
          throw new ArmHttpError(
            400,
            'MissingRequiredQueryParameter',
            "The query parameter 'outputdirectoryid' is required: " +
              "'stdouterr' or the id of one of the job's outputDirectories.",
          );
        }
        const { offset, max } = pageWindow(ctx);
        const { entries, nextOffset } = await listOutputFiles(ctx.core, jobKey(ctx), {
          outputDirectoryId,
          directory: ctx.query.get('directory'),
          linkExpiryInMinutes: intQuery(ctx, 'linkexpiryinminutes', 60, 5, 600),
          offset,
          maxResults: max,
        });
        const value = entries.map((e) => ({
          name: e.name,
          fileType: e.fileType,
          ...(e.downloadUrl ? { downloadUrl: e.downloadUrl } : {}),
          ...(e.fileType === 'file'
            ? { properties: { lastModified: iso(e.lastModified!), contentLength: e.contentLength } }
            : {}),
        }));
        return {
          status: 200,
          body: { value, ...(nextOffset !== undefined ? { nextLink: nextLink(ctx, nextOffset, max) } : {}) },
        };
      },
    }),
  ),
  {
    method: 'POST',
    template: `${J}/{jobName}/listRemoteLoginInformation`,
    handler: (ctx) => {
      const j = getJob(ctx.core, jobKey(ctx));
      const nodes = j.executionState === 'running' || j.executionState === 'terminating' ? j.props.nodeCount : 0;
      return pageOf(ctx, remoteLoginNodes(j.cluster.cluster, nodes), (n) => n);
    },
  },
];
