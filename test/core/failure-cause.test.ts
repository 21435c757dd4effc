// One test per rule of shared/core/failure-cause.ts, each from a log written the way the tool prints it.
import { CAUSE_RULES, type FailureFacts, failureCause, lastExceptionLine } from '../../shared/core/failure-cause';

const failed = (lines: string[], extra: Partial<FailureFacts> = {}): FailureFacts => ({
  state: 'failed',
  exitCode: 1,
  errors: [{ code: 'JobFailed', message: 'The job failed with exit code 1.' }],
  lines,
  ...extra,
});

const log = (text: string) => text.split('\n');

const CUDA_OOM = log(`Epoch 1/10
  3/938 [..............................] - ETA: 2:31 - loss: 2.2871
Traceback (most recent call last):
  File "/mnt/batch/tasks/shared/LS_root/mounts/afs/train.py", line 88, in <module>
    loss.backward()
  File "/usr/local/lib/python3.10/dist-packages/torch/_tensor.py", line 522, in backward
    torch.autograd.backward(
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 15.77 GiB \
of which 1.05 GiB is free. Process 4242 has 14.71 GiB memory in use.`);

const NCCL = log(`[rank1]:[E ProcessGroupNCCL.cpp:1316] [PG 0 Rank 1] Watchdog caught collective operation timeout: \
WorkNCCL(SeqNum=1023, OpType=ALLREDUCE, NumelIn=8388608, Timeout(ms)=600000) ran for 600043 milliseconds \
before timing out.
[rank1]: Traceback (most recent call last):
[rank1]:   File "/workspace/ddp.py", line 51, in <module>
[rank1]:     dist.all_reduce(t)
[rank1]: torch.distributed.DistBackendError: NCCL communicator was aborted on rank 1.
E1207 02:11:09.123000 140 torch/distributed/elastic/multiprocessing/api.py:826] failed (exitcode: 1) local_rank: 1`);

const GLOO = log(
  `RuntimeError: [../third_party/gloo/gloo/transport/tcp/pair.cc:534] Connection closed by peer [10.0.0.5]:4821`,
);

const MPI = log(`--------------------------------------------------------------------------
mpirun noticed that process rank 3 with PID 0 on node 10.0.0.7 exited on signal 9 (Killed).
--------------------------------------------------------------------------`);

const HOST_OOM = log(`Loading dataset shard 7/8
/mnt/batch/tasks/shared/LS_root/jobs/local/train.sh: line 3:  4242 Killed                  python train.py`);

const MODULE = log(`Traceback (most recent call last):
  File "train.py", line 3, in <module>
    import transformers
ModuleNotFoundError: No module named 'transformers'`);

const FILE = log(`Traceback (most recent call last):
  File "train.py", line 12, in <module>
    ds = np.load("/mnt/batch/tasks/shared/LS_root/mounts/afs/data/train.npy")
  File "/usr/lib/python3/dist-packages/numpy/lib/npyio.py", line 405, in load
    fid = stack.enter_context(open(os_fspath(file), "rb"))
FileNotFoundError: [Errno 2] No such file or directory: '/mnt/batch/tasks/shared/LS_root/mounts/afs/data/train.npy'`);

const CHAINED = log(`Traceback (most recent call last):
  File "train.py", line 9, in main
    cfg = json.load(f)
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "train.py", line 20, in <module>
    main()
ValueError: config.json is not valid JSON`);

describe('failureCause: one rule each', () => {
  it('names a person terminating it, from the service, with its words', () => {
    const c = failureCause(
      failed(['step 10 loss=0.3'], {
        exitCode: 137,
        errors: [{ code: 'JobTerminated', message: 'The job was terminated by the user.' }],
      }),
    );
    expect(c).toEqual({
      kind: 'terminated',
      title: 'Terminated by a person',
      quote: 'The job was terminated by the user.',
    });
    expect(failureCause({ state: 'terminated', errors: [], lines: [] })?.kind).toBe('terminated');
    expect(
      failureCause(failed([], { errors: [{ code: 'UserTerminate', message: '' }], exitCode: undefined }))?.kind,
    ).toBe('terminated');
  });

  it('names the wall-clock limit (Batch AI and Azure Batch codes)', () => {
    const c = failureCause(
      failed(['epoch 3'], {
        exitCode: 137,
        errors: [
          {
            code: 'MaxWallClockTimeExpiry',
            message: 'The job ran longer than its constraints.maxWallClockTime and was killed.',
          },
        ],
      }),
    );
    expect(c?.kind).toBe('wall-clock');
    expect(c?.quote).toMatch(/maxWallClockTime/);
  });

  it('names a CUDA OOM and quotes the exception line of the traceback', () => {
    const c = failureCause(failed(CUDA_OOM));
    expect(c?.kind).toBe('gpu-oom');
    expect(c?.title).toBe('GPU out of memory');
    expect(c?.quote).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.00 GiB/);
  });

  it('names an NCCL watchdog timeout, quoting the exception with the rank tag taken off', () => {
    const c = failureCause(failed(NCCL));
    expect(c?.kind).toBe('distributed');
    expect(c?.quote).toBe('torch.distributed.DistBackendError: NCCL communicator was aborted on rank 1.');
  });

  it('names a Gloo connection loss and an MPI rank killed', () => {
    expect(failureCause(failed(GLOO))?.kind).toBe('distributed');
    const mpi = failureCause(failed(MPI, { exitCode: 137 }));
    expect(mpi?.kind).toBe('distributed');
    expect(mpi?.quote).toMatch(/^mpirun noticed that process rank 3/);
  });

  it('names the host OOM killer from bash\'s "Killed" line', () => {
    const c = failureCause(failed(HOST_OOM, { exitCode: 137 }));
    expect(c?.kind).toBe('oom');
    expect(c?.quote).toMatch(/4242 Killed +python train\.py$/);
    expect(failureCause(failed(['MemoryError: Unable to allocate 38.1 GiB for an array']))?.kind).toBe('oom');
  });

  it('names exit code 137 alone as out of memory', () => {
    const c = failureCause(failed(['step 400 loss=0.91'], { exitCode: 137 }));
    expect(c).toEqual({ kind: 'oom', title: 'Out of memory (killed, exit code 137)' });
  });

  it('names a missing module, quoting the exception line', () => {
    const c = failureCause(failed(MODULE));
    expect(c).toEqual({
      kind: 'missing-module',
      title: 'A module or package is missing',
      quote: "ModuleNotFoundError: No module named 'transformers'",
    });
    const so = ['python: error while loading shared libraries: libcudart.so.12: cannot open shared object file'];
    expect(failureCause(failed(so))?.kind).toBe('missing-module');
    expect(failureCause(failed(['train.sh: line 2: torchrun: command not found'], { exitCode: 127 }))?.kind).toBe(
      'missing-module',
    );
  });

  it('names a missing file or mount', () => {
    const c = failureCause(failed(FILE));
    expect(c?.kind).toBe('missing-file');
    expect(c?.quote).toMatch(/^FileNotFoundError: \[Errno 2\] No such file or directory/);
    const mount = [
      "ls: cannot access '/mnt/batch/tasks/shared/LS_root/mounts/afs': Transport endpoint is not connected",
    ];
    expect(failureCause(failed(mount))?.kind).toBe('missing-file');
  });

  it('falls back to the exception line of the last traceback (of chained ones)', () => {
    const c = failureCause(failed(CHAINED));
    expect(c).toEqual({
      kind: 'exception',
      title: 'A Python exception ended it',
      quote: 'ValueError: config.json is not valid JSON',
    });
  });

  it('says nothing of a job that did not fail, or failed without a word', () => {
    expect(failureCause({ ...failed(CUDA_OOM), state: 'succeeded' })).toBeUndefined();
    expect(failureCause(failed(['step 1', 'step 2']))).toBeUndefined();
  });

  it('the table has a rule of every kind this file tests', () => {
    const kinds = new Set(CAUSE_RULES.map((r) => r.kind));
    for (const k of ['terminated', 'wall-clock', 'gpu-oom', 'oom', 'distributed', 'missing-module', 'missing-file'])
      expect(kinds.has(k as never)).toBe(true);
  });
});

describe('lastExceptionLine', () => {
  it('is undefined without a traceback, and for a traceback cut off before its exception', () => {
    expect(lastExceptionLine(['loss=0.1'])).toBeUndefined();
    expect(lastExceptionLine(['Traceback (most recent call last):', '  File "x.py", line 1'])).toBeUndefined();
  });

  it('finds the exception of a traceback whose header the tail cut off', () => {
    expect(lastExceptionLine(MODULE.slice(1))).toBe("ModuleNotFoundError: No module named 'transformers'");
  });
});
