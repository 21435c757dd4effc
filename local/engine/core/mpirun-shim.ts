// customMpi jobs run `mpirun -np N ... program args` on the master node. Where no Open MPI is installed (as
// here), a stand-in `mpirun` placed LAST on the job's PATH (a real one always wins) starts N copies of the
// program on this machine with the rank environment of mpi-env.ts, and exits with the first failure's code.
//
// The copies do not write to the job's stdout.txt themselves: a program may write one line in several writes
// (Python does when PYTHONUNBUFFERED is set: the text, then the newline), and copies writing at once then splice
// their lines together in the shared file. As Open MPI's mpirun does, the stand-in reads each copy's output
// through a pipe and writes it out a whole line at a time, and it exits only once every pipe has been drained,
// so the job cannot be seen ended before its last line is in the file.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options of Open MPI's mpirun that take a value (skipped, with their value); other options are flags. */
const WITH_VALUE = [
  '-hostfile',
  '--hostfile',
  '-machinefile',
  '--machinefile',
  '-H',
  '-host',
  '--host',
  '-x',
  '--map-by',
  '--bind-to',
  '--rank-by',
  '-npernode',
  '--npernode',
  '-N',
  '--prefix',
  '-wdir',
  '--wdir',
];

/** A partial line longer than this is written out anyway (progress bars redraw with \r and never end a line). */
const MAX_PENDING = 64 * 1024;

// Plain JavaScript run by the engine's own Node (the one program every machine running the engine has).
const SCRIPT = `'use strict';
// Stand-in for Open MPI's mpirun (see local/engine/core/mpirun-shim.ts): N local copies with rank variables.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { constants } = require('node:os');

const WITH_VALUE = new Set(${JSON.stringify(WITH_VALUE)});
const args = process.argv.slice(2);
let np = '1';
let i = 0;
while (i < args.length) {
  const a = args[i];
  if (a === '-np' || a === '-n' || a === '--np' || a === '-c') {
    np = args[i + 1];
    i += 2;
  } else if (a === '-mca' || a === '--mca') i += 3;
  else if (WITH_VALUE.has(a)) i += 2;
  else if (a === '--') {
    i += 1;
    break;
  } else if (a.startsWith('-')) i += 1;
  else break;
}
const [program, ...programArgs] = args.slice(i);
if (program === undefined) {
  process.stderr.write('mpirun: no program to run\\n');
  process.exit(1);
}
const size = Number(np);
if (!Number.isInteger(size) || size < 1) {
  process.stderr.write('mpirun: -np needs a count of 1 or more, got ' + JSON.stringify(np) + '\\n');
  process.exit(1);
}
let nodes = 1;
try {
  const file = process.env.AZ_BATCHAI_MPI_HOST_FILE;
  if (file) nodes = Math.max(1, readFileSync(file, 'utf8').split('\\n').filter(Boolean).length);
} catch {
  // No host file: every rank is on this node.
}

// One destination (stdout or stderr) receives whole lines; what a copy leaves unfinished waits for the rest.
function forward(stream, out) {
  let pending = Buffer.alloc(0);
  stream.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const end = pending.lastIndexOf(10) + 1;
    const upTo = pending.length >= ${MAX_PENDING} ? pending.length : end;
    if (upTo === 0) return;
    out.write(pending.subarray(0, upTo));
    pending = pending.subarray(upTo);
  });
  stream.on('end', () => {
    if (pending.length) out.write(pending);
  });
}

function rank(r) {
  const localRank = String(Math.floor(r / nodes));
  const env = {
    ...process.env,
    OMPI_COMM_WORLD_RANK: String(r),
    OMPI_COMM_WORLD_SIZE: String(size),
    OMPI_COMM_WORLD_LOCAL_RANK: localRank,
    RANK: String(r),
    WORLD_SIZE: String(size),
    LOCAL_RANK: localRank,
  };
  return new Promise((resolve) => {
    const child = spawn(program, programArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('error', (e) => {
      process.stderr.write('mpirun: ' + program + ': ' + e.message + '\\n');
      resolve(e.code === 'ENOENT' ? 127 : 126);
    });
    // 'close', not 'exit': the copy's last output may still be in its pipe when it exits.
    child.on('close', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 1)));
  });
}

Promise.all(Array.from({ length: size }, (_, r) => rank(r))).then((codes) => {
  // No process.exit: it could cut off output still being written to a pipe.
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
});
`;

/** Quotes `s` for sh, whatever it contains. */
function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Writes the stand-in into `{tempDir}/bin`; returns that folder, to be appended to the job's PATH. */
export function writeMpirunShim(tempDir: string): string {
  const bin = join(tempDir, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'mpirun.js');
  writeFileSync(script, SCRIPT);
  const file = join(bin, 'mpirun');
  // A launcher rather than a `#!node` line: the job's PATH need not have node, and a #! line cannot quote a path.
  writeFileSync(file, `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(script)} "$@"\n`);
  chmodSync(file, 0o755);
  return bin;
}
