// `templates`, `template <name>`, `submit <template> [k=v ...]`. Submit checks every value before any request to
// the compute service (renderTemplate), creates the experiment if missing, submits the job without waiting,
// claims the job name for its submitter (bot/job-ownership.ts), answers at once with the job card, and keeps
// that card in step until the job ends.
import type { ComputeJob, JobRef } from '../../shared/compute/model';
import { clusterPath } from '../../shared/core/batchai-paths';
import { lastSegment } from '../../shared/core/arm-names';
import { commandText } from '../../shared/core/command-text';
import { checkJobLimits } from '../../shared/core/job-limits';
import { fillJobFile } from '../../shared/templates/job-file-fill';
import { maskValues, REDACTED, redactJobRequest, redactText, secretFieldValues } from '../../shared/core/redact';
import { secretPrints } from '../../shared/core/secret-prints';
import { matchesJob, type JobFacts } from '../../shared/core/subscription-match';
import {
  parseTemplate,
  renderTemplate,
  secretParameters,
  secretValues,
  type Template,
} from '../../shared/templates/templates';
import { InputError, toError } from '../../shared/errors';
import { approvalReason, type Approval, type SubmitRequest } from '../../shared/core/approval-policy';
import type { Command } from '../../shared/core/commands';
import { estimate } from '../../shared/core/prices';
import { priceTable } from '../../shared/prices-file';
import { costRule, requestApproval } from '../approval-request';
import type { Handler, HandlerContext, Reply, TurnInfo } from '../handler';
import { jobView } from '../job-card';
import { bodyDigest, checkJobName, claimJobName } from '../job-ownership';
import { followJob } from '../job-watch';
import { withCluster } from '../not-found';

async function loadTemplate(ctx: HandlerContext, name: string): Promise<Template> {
  const raw = await ctx.deps.stores.templates.get(name);
  if (raw === undefined) {
    const names = (await ctx.deps.stores.templates.list()).map((t) => t.name).sort();
    const there = names.length
      ? `Templates: ${names.join(', ')}.`
      : 'No templates are loaded (npm run templates:load -- templates/).';
    throw new InputError('TemplateNotFound', `Template ${name} not found. ${there}`);
  }
  return parseTemplate(raw, name);
}

export const templates: Handler<'templates'> = async (_cmd, ctx) => {
  const rows = await ctx.deps.stores.templates.list();
  const list = rows.map((row) => {
    const { name } = row;
    if ('unreadable' in row) return { name, description: `Unreadable: ${row.unreadable}`, parameters: [] };
    try {
      const t = parseTemplate(row.body, name);
      const item: { name: string; description?: string; parameters: string[] } = {
        name,
        parameters: t.parameters.map((p) => p.name),
      };
      if (t.description) item.description = t.description;
      return item;
    } catch (e) {
      // A row stored by an older loader that no longer parses: listed, but marked, rather than hiding it.
      return { name, description: `Invalid: ${(e as Error).message}`, parameters: [] };
    }
  });
  list.sort((a, b) => a.name.localeCompare(b.name));
  return { view: { kind: 'template-list', templates: list } };
};

export const template: Handler<'template'> = async (cmd, ctx) => {
  const t = await loadTemplate(ctx, cmd.template);
  const secret = secretParameters(t);
  const facts = t.parameters.map((p) => {
    const allowed = p.values ? ` one of ${p.values.join('|')}` : p.pattern ? ` matching ${p.pattern}` : '';
    const dflt = p.default === undefined ? ' (required)' : ` = ${secret.has(p.name) ? REDACTED : String(p.default)}`;
    return { title: p.name, value: `${p.type}${allowed}${dflt}${p.description ? ` — ${p.description}` : ''}` };
  });
  return {
    view: {
      kind: 'text',
      title: `Template ${t.name}`,
      text: t.description ?? (t.parameters.length ? 'Parameters:' : 'A plain job.json: no parameters.'),
      facts,
      code: JSON.stringify(redactJobRequest(t.job, secretValues(t, {})), null, 2),
      codeLabel: 'Job definition',
      actions: [
        { title: 'Dry run', command: commandText({ kind: 'submit', template: t.name, params: {}, dryRun: true }) },
        {
          title: 'Submit',
          command: commandText({ kind: 'submit', template: t.name, params: {}, dryRun: false }),
          style: 'positive',
        },
      ],
    },
  };
};

/** `hello-0102-153045-7f3a`: unique enough per experiment, and a valid Batch AI name (≤ 64, [-\w]). */
function jobName(template: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(4, 14);
  const suffix = Math.random().toString(16).slice(2, 6);
  return `${template.slice(0, 40)}-${stamp.slice(0, 4)}-${stamp.slice(4)}-${suffix}`.toLowerCase();
}

/**
 * Whoever submits wants to hear when the job ends, also after the card stops updating: the first submit in a
 * conversation subscribes it to that person's jobs, unless a subscription there already covers this job.
 * Returns the new subscription's id, if one was made.
 */
async function subscribeSubmitter(ctx: HandlerContext, ref: JobRef, cluster: string): Promise<string | undefined> {
  const { subscriptions } = ctx.deps.stores;
  const facts: JobFacts = {
    workspace: ref,
    experiment: ref.experiment,
    job: ref.job,
    cluster,
    submittedBy: ctx.turn.userId,
  };
  try {
    const existing = await subscriptions.list(ctx.turn.conversationId);
    if (existing.some((s) => matchesJob(s.filter, facts, 'succeeded') && matchesJob(s.filter, facts, 'failed')))
      return undefined;
    const filter = {
      workspace: ref.workspace,
      submittedBy: ctx.turn.userId,
      states: ['succeeded' as const, 'failed' as const],
    };
    return (await subscriptions.add(ctx.turn.conversationId, filter, ctx.turn.userId)).id;
  } catch (e) {
    // The job is submitted either way; the card still follows it to the end.
    ctx.deps.log(
      `[bot] could not subscribe the submitter of ${ref.experiment}/${ref.job}: ${redactText(toError(e).message)}`,
    );
    return undefined;
  }
}

export const submit: Handler<'submit'> = (cmd, ctx) => submitJob(cmd, ctx, false);

/** Runs an approved submit as its requester, in the workspace, experiment and conversation it was asked in. */
export function submitApproved(a: Approval, request: SubmitRequest, ctx: HandlerContext): Promise<Reply> {
  const turn: TurnInfo = { ...ctx.turn, userId: a.requestedBy.id, conversationId: a.conversationId };
  if (a.requestedBy.name) turn.userName = a.requestedBy.name;
  else delete turn.userName;
  const { nodes: _nodes, ...cmd } = request;
  return submitJob(
    cmd,
    { ...ctx, turn, scope: async () => ({ ref: a.workspace, experiment: request.experiment }) },
    true,
  );
}

async function submitJob(
  cmd: Extract<Command, { kind: 'submit' }>,
  ctx: HandlerContext,
  approved: boolean,
): Promise<Reply> {
  const { compute, config } = ctx.deps;
  const t = await loadTemplate(ctx, cmd.template);
  const scope = await ctx.scope();
  const ref: JobRef = {
    ...scope.ref,
    experiment: cmd.experiment ?? scope.experiment,
    job: cmd.name ?? jobName(t.name, ctx.deps.now()),
  };
  // The template's own cluster wins over the configured default; --cluster wins over both.
  const clusterName =
    cmd.cluster ?? (t.job.properties.cluster ? undefined : config.compute.defaultCluster || undefined);
  const cluster = clusterName ? clusterPath(compute.subscriptionId, { ...scope.ref, cluster: clusterName }) : undefined;
  // Every value is checked here, before any request to the compute service.
  const rendered = renderTemplate(t, cmd.params, { cluster, experiment: ref.experiment, name: ref.job });
  // The storage account and its key go in now, as az batchai filled them: never stored in the template.
  const fill = fillJobFile(rendered, config.compute.storageAccount);
  if (fill.missing.length > 0) {
    throw new InputError(
      'JobFileUnfilled',
      `Template ${t.name} cannot be sent as it is:\n${fill.missing.map((m) => `- ${m}`).join('\n')}`,
    );
  }
  const body = fill.body;
  if (body.properties) checkJobLimits(body.properties);
  // Secrets by value too: a template's literal `secrets` may land elsewhere in the request (an environment).
  const secrets = [...secretValues(t, cmd.params), ...secretFieldValues(body)];
  // The backend's translation checks the whole job (its node limit too) before anything is written: an approval,
  // the name's claim, or (Azure ML) an environment version that a refused job would leave behind.
  const described = compute.describeSubmit(ref, body);
  if (cmd.dryRun) {
    const secretNames = secretParameters(t);
    const givesSecret = Object.keys(cmd.params).find((k) => secretNames.has(k));
    const requests = described.requests.map(
      (r) => `${r.method} ${r.path}\n${JSON.stringify(redactJobRequest(r.body, secrets), null, 2)}`,
    );
    return {
      view: {
        kind: 'text',
        title: `Dry run: submit ${t.name}`,
        text: [
          `${requests.length === 1 ? 'This request' : 'These requests'} would be sent to ${compute.labels.service} ` +
            '(secrets masked). Nothing was submitted.',
          ...(fill.filled.length ? ['Filled in as az batchai did:', ...fill.filled.map((f) => `- ${f}`)] : []),
          ...(givesSecret
            ? [`To submit, send the command again without --dry-run (no button: it would carry ${givesSecret}).`]
            : []),
        ].join('\n'),
        facts: [
          { title: 'Experiment', value: ref.experiment },
          { title: 'Job', value: ref.job },
          { title: compute.labels.cluster, value: lastSegment(body.properties?.cluster.id) ?? '' },
        ],
        code: requests.join('\n\n'),
        codeLabel: requests.length === 1 ? 'Request' : 'Requests',
        // A button carries its command to whoever presses it and through the chat service: never a secret value.
        actions: givesSecret
          ? []
          : [{ title: 'Submit', command: commandText({ ...cmd, dryRun: false, name: ref.job }), style: 'positive' }],
      },
    };
  }
  // A missing cluster is named with the clusters that exist, rather than as the service's 400/404. A cluster
  // the template names by id may live elsewhere: then it is not priced, and only the node threshold applies.
  const clusterOf = lastSegment(body.properties?.cluster.id) ?? '';
  const who = { userId: ctx.turn.userId, ...(ctx.turn.userName ? { userName: ctx.turn.userName } : {}) };
  const prints = secretPrints(secrets);
  const mine = { ...who, body: bodyDigest(body, secrets), ...(prints ? { secrets: prints } : {}) };
  await checkJobName(ctx, ref, mine);
  const found = clusterName
    ? await withCluster(ctx, clusterName, (c) => compute.getCluster(c))
    : await compute.getCluster({ ...scope.ref, cluster: clusterOf }).catch(() => undefined);
  if (!approved) {
    const nodes = body.properties?.nodeCount ?? 1;
    const request: SubmitRequest = {
      ...cmd,
      dryRun: false,
      name: ref.job,
      experiment: ref.experiment,
      cluster: clusterOf,
      nodes,
    };
    const cost = estimate(priceTable(config.policy.pricesFile), found?.vmSize || 'unknown', undefined, 0, nodes);
    const reason = approvalReason(request, config.policy.resizeApprovalThreshold, costRule(ctx, cost));
    if (reason) return requestApproval(ctx, request, { ...scope.ref, cluster: clusterOf }, reason, cost);
  }
  // The name is claimed before the job exists, so two people submitting it at once cannot both own it.
  await claimJobName(ctx, ref, mine);
  let created: ComputeJob;
  try {
    await compute.ensureExperiment(ref);
    created = await compute.submitJob(ref, body);
  } catch (e) {
    await ctx.deps.stores.submissions.release({ ...ref, ...mine }).catch((r: unknown) => {
      ctx.deps.log(`[bot] could not release the name ${ref.experiment}/${ref.job}: ${redactText(toError(r).message)}`);
    });
    // A service may echo part of the body it refused: the submit's secrets never reach the error card.
    const err = toError(e);
    err.message = maskValues(err.message, secrets);
    throw err;
  }
  const subscription = await subscribeSubmitter(ctx, ref, created.cluster);
  const submittedBy = ctx.turn.userName ?? ctx.turn.userId;
  const headline = subscription
    ? `Submitted. You will get an alert here when it ends (subscription ${subscription}).`
    : 'Submitted';
  return {
    view: jobView(created, ref.workspace, {
      now: ctx.deps.now(),
      labels: ctx.deps.compute.labels,
      headline,
      submittedBy,
    }),
    followUp: { ...followJob(ref, created, 'submit', submittedBy), ...(t.progress ? { progress: t.progress } : {}) },
  };
}
