// Integer limits of request bodies, by property name, checked with the schema (validate.ts). The service's
// limits were quota-bound per subscription; these are the local engine's, low enough that a hostile body
// (`targetNodeCount: 2147483647`) is a 400 and never an allocation of that size.
import { MAX_ENVIRONMENT_VARIABLES, MAX_NODES, MAX_PROCESSES } from '../quota';

export { MAX_NODES, MAX_PROCESSES };

export const INTEGER_LIMITS: Record<string, { min: number; max: number }> = {
  nodeCount: { min: 1, max: MAX_NODES },
  targetNodeCount: { min: 0, max: MAX_NODES },
  minimumNodeCount: { min: 0, max: MAX_NODES },
  maximumNodeCount: { min: 0, max: MAX_NODES },
  initialNodeCount: { min: 0, max: MAX_NODES },
  processCount: { min: 1, max: MAX_PROCESSES },
  workerCount: { min: 0, max: MAX_PROCESSES },
  parameterServerCount: { min: 0, max: MAX_PROCESSES },
  diskSizeInGB: { min: 1, max: 4095 },
  diskCount: { min: 1, max: 64 },
};

/** Array lengths, by property name: checked before any item is (one job PUT carried 300,000 variables). */
export const ARRAY_LIMITS: Record<string, number> = {
  environmentVariables: MAX_ENVIRONMENT_VARIABLES,
  secrets: MAX_ENVIRONMENT_VARIABLES,
};
