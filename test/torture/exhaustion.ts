// Requests that would exhaust the stand-in if taken (torture suite 2, the Azure Batch facade's doors): node
// counts and instances of any size, bodies nested to any depth, $filter nested or chained to any length,
// paths with bad %-encoding. Each must be refused with the service's OData error and change nothing.
import { pick, type Rng } from './generate';

export interface BatchRequest {
  method: string;
  path: string;
  body?: string;
}

const BIG = [1_000_000_000, 2_147_483_647, 2 ** 53, 1e300, 101, 100_000, -1, 1.5, '7', null];

export function exhaustingBatchRequests(rng: Rng, count: number): BatchRequest[] {
  const big = () => pick(rng, BIG);
  const id = () => `x${Math.floor(rng() * 1e9)}`;
  const depth = () => pick(rng, [65, 100, 1_000, 100_000]);
  const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const shapes: Array<() => BatchRequest> = [
    () => ({ method: 'POST', path: '/pools/cpu/resize', body: JSON.stringify({ targetDedicatedNodes: big() }) }),
    () => ({ method: 'POST', path: '/pools/cpu/resize', body: JSON.stringify({ targetLowPriorityNodes: big() }) }),
    () => ({
      method: 'POST',
      path: '/pools',
      body: JSON.stringify({ id: id(), vmSize: 'x', targetDedicatedNodes: big() }),
    }),
    () => ({
      method: 'POST',
      path: '/pools',
      body: JSON.stringify({
        id: id(),
        vmSize: 'x',
        enableAutoScale: true,
        autoScaleFormula: `$TargetDedicatedNodes = ${pick(rng, [101, 1_000_000_000, 2_147_483_647])}`,
      }),
    }),
    () => ({
      method: 'POST',
      path: '/jobs/j1/tasks',
      body: JSON.stringify({ id: id(), commandLine: '/bin/true', multiInstanceSettings: { numberOfInstances: big() } }),
    }),
    () => ({
      method: 'POST',
      path: '/jobs',
      body: `{"id":"${id()}","poolInfo":{"poolId":"cpu"},"metadata":${nested(depth())}}`,
    }),
    () => ({
      method: 'POST',
      path: '/jobs/j1/tasks',
      body: `{"id":"${id()}","commandLine":"/bin/true","environmentSettings":${nested(depth())}}`,
    }),
    () => {
      const n = pick(rng, [17, 100, 2_000]);
      return {
        method: 'GET',
        path: `/jobs?$filter=${encodeURIComponent(`${'('.repeat(n)}id eq 'a'${')'.repeat(n)}`)}`,
      };
    },
    () => {
      const n = pick(rng, [17, 500]);
      return { method: 'GET', path: `/pools?$filter=${encodeURIComponent(`${'not '.repeat(n)}id eq 'a'`)}` };
    },
    () => {
      const n = pick(rng, [65, 300]);
      const terms = Array.from({ length: n }, () => "id eq 'a'").join(pick(rng, [' or ', ' and ']));
      return { method: 'GET', path: `/jobs?$filter=${encodeURIComponent(terms)}` };
    },
    () => ({ method: 'GET', path: `/pools/${pick(rng, ['%E0%A4%A', '%', '%ZZ', 'a%C3', '%ED%A0%80'])}` }),
    () => ({ method: 'GET', path: `/jobs/${pick(rng, ['%E0%A4%A', '%', '%ZZ'])}/tasks` }),
  ];
  return Array.from({ length: count }, () => pick(rng, shapes)());
}
