// Who owns a job name. The first person to submit a name keeps it: a submit of an existing name is refused,
// saying who submitted it, unless it is the same person sending the same body again (a retry, which the
// service answers with the job it has). Jobs made outside chat belong to nobody here and are not taken either.
import { createHash } from 'node:crypto';
import type { JobCreateParameters } from '../shared/compute/job-file';
import type { JobRef } from '../shared/compute/model';
import { redactJobRequest } from '../shared/core/redact';
import { InputError, isNotFound } from '../shared/errors';
import type { Submission } from '../shared/storage/store-types';
import type { HandlerContext } from './handler';

/** A digest of the body as it may be shown (secrets masked): equal bodies, equal digests; no secret in it. */
export function bodyDigest(body: JobCreateParameters, secrets: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(redactJobRequest(body, secrets)))
    .digest('base64url');
}

function taken(ref: JobRef, by: string): InputError {
  return new InputError(
    'JobNameTaken',
    `Job ${ref.experiment}/${ref.job} exists, submitted by ${by}: expected a new name ` +
      '(--name <another>, or leave --name out for a fresh one).',
  );
}

/** The same person with the same body (a record from before bodies were kept: the same person). */
function isRetry(kept: Submission, mine: Submission): boolean {
  return kept.userId === mine.userId && (kept.body === undefined || kept.body === mine.body);
}

/** Refuses a name someone else holds, or that names a job made outside chat; read-only (before an approval). */
export async function checkJobName(ctx: HandlerContext, ref: JobRef, mine: Submission): Promise<void> {
  const kept = await ctx.deps.stores.submissions.get(ref.workspace, ref.experiment, ref.job);
  if (kept) {
    if (!isRetry(kept, mine)) throw taken(ref, kept.userName ?? kept.userId);
    return;
  }
  try {
    await ctx.deps.compute.getJob(ref);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  throw taken(ref, 'someone outside this chat');
}

/** Claims the name for `mine` just before the submit: a claim that someone else won meanwhile is refused. */
export async function claimJobName(ctx: HandlerContext, ref: JobRef, mine: Submission): Promise<void> {
  const kept = await ctx.deps.stores.submissions.claim({ ...ref, ...mine });
  if (!isRetry(kept, mine)) throw taken(ref, kept.userName ?? kept.userId);
}
