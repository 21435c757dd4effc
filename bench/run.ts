// `npm run bench`: runs every benchmark in turn, prints each figure beside the naive way's, and writes them all
// to bench/results.json. `npm run bench -- <name>` runs only the named ones.
import { benchAck } from './ack';
import { benchAlertLatency } from './alert-latency';
import { benchAzureBatch } from './azure-batch';
import { benchAzureMl } from './azure-ml';
import { benchChaos } from './chaos';
import { benchChatLatency } from './chat-latency';
import { benchColdStart } from './cold-start';
import { benchExhaustion } from './exhaustion';
import { benchListJobs } from './list-jobs';
import { benchMasking } from './masking';
import { benchLogTail } from './log-tail';
import { benchPoll } from './poll';
import { benchProgressParse } from './progress-parse';
import { benchProgressReader } from './progress-reader';
import { benchScale } from './scale';
import { benchSoak } from './soak';
import { writeResults } from './report';

const benches: Record<string, () => Promise<void>> = {
  'cold-start': benchColdStart,
  'log-tail': benchLogTail,
  'list-jobs': benchListJobs,
  poll: benchPoll,
  'chat-latency': benchChatLatency,
  ack: benchAck,
  'azure-batch': benchAzureBatch,
  'azure-ml': benchAzureMl,
  'progress-parse': benchProgressParse,
  'progress-reader': benchProgressReader,
  chaos: benchChaos,
  exhaustion: benchExhaustion,
  masking: benchMasking,
  scale: benchScale,
  alerts: benchAlertLatency,
  soak: benchSoak,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in benches));
  if (unknown.length) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}: expected one of ${Object.keys(benches).join(', ')}`);
  }
  for (const [name, run] of Object.entries(benches)) {
    if (wanted.length && !wanted.includes(name)) continue;
    console.log(`\n== ${name}`);
    await run();
  }
  console.log(`\nfigures written to ${writeResults()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
