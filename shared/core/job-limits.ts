// What one job may ask of any backend, checked before the product writes anything (an approval, a name claim,
// an environment version): the services and the local facades refuse more, and a half-made submit would leave
// what it made first behind. One job with 300,000 environment variables stalled the Azure ML facade's event
// loop for seconds, on every later poll too.
import { InputError } from '../errors';
import type { JobBaseProperties } from '../compute/job-file';

/** Environment variables and secrets of one job, together (each becomes one variable of its processes). */
export const MAX_ENVIRONMENT_VARIABLES = 1000;

/** Refuses a job with more variables than MAX_ENVIRONMENT_VARIABLES, saying how many it has. */
export function checkJobLimits(p: JobBaseProperties): void {
  const n = (p.environmentVariables?.length ?? 0) + (p.secrets?.length ?? 0);
  if (n > MAX_ENVIRONMENT_VARIABLES)
    throw new InputError(
      'TooManyEnvironmentVariables',
      `environmentVariables and secrets: ${n} in all, expected at most ${MAX_ENVIRONMENT_VARIABLES}.`,
    );
}
