// The progress parser on logs as each tool prints them (tqdm redraws with a bare CR, Keras with backspaces
// and a final newline per epoch, Hugging Face's dicts, plain key=value lines, the documented marker).
import { fractionDone, METRICS_MARKER, parseProgress } from '../../shared/core/progress-parse';

describe('parseProgress', () => {
  it('reads a tqdm bar: the last redraw, its rate, ETA and postfix metrics', () => {
    const log =
      '  0%|          | 0/1000 [00:00<?, ?it/s]\r' +
      ' 45%|████▌     | 450/1000 [00:12<00:15, 36.50it/s, loss=0.731, acc=0.61]\r' +
      ' 46%|████▌     | 460/1000 [00:12<00:14, 36.80it/s, loss=0.702, acc=0.62]';
    const p = parseProgress(log);
    expect(p).toMatchObject({ step: 460, totalSteps: 1000, ratePerSecond: 36.8, etaSeconds: 14 });
    expect(p.metrics).toEqual({ loss: 0.702, acc: 0.62 });
    expect(p.mainMetric).toBe('loss');
    expect(p.series).toEqual([
      { x: 450, y: 0.731 },
      { x: 460, y: 0.702 },
    ]);
    expect(fractionDone(p)).toBeCloseTo(0.46);
  });

  it('reads a slow tqdm bar in s/it', () => {
    const p = parseProgress('Training:  10%|█         | 2/20 [00:10<01:30,  5.00s/it]');
    expect(p).toMatchObject({ step: 2, totalSteps: 20, ratePerSecond: 0.2, etaSeconds: 90 });
  });

  it('reads Keras: Epoch n/N, the step bar with ETA and `- loss: …`', () => {
    const log = [
      'Epoch 1/10',
      '938/938 [==============================] - 3s 3ms/step - loss: 0.2962 - accuracy: 0.9144',
      'Epoch 2/10',
      '\b\b\b 450/938 [=============>................] - ETA: 1s - loss: 0.1421 - accuracy: 0.9583',
    ].join('\n');
    const p = parseProgress(log.replace('\b\b\b ', ' '));
    expect(p).toMatchObject({ epoch: 2, totalEpochs: 10, step: 450, totalSteps: 938, etaSeconds: 1 });
    expect(p.metrics).toEqual({ loss: 0.1421, accuracy: 0.9583 });
    expect(fractionDone(p)).toBeCloseTo((1 + 450 / 938) / 10);
  });

  it("counts a Keras epoch just begun as under way, a dict's epoch as done", () => {
    expect(fractionDone(parseProgress('Epoch 1/4'))).toBe(0);
    expect(fractionDone(parseProgress('Epoch 3/4\n10/10 [====] - loss: 1\nEpoch 4/4'))).toBe(0.75);
    expect(fractionDone(parseProgress("{'loss': 1.0, 'epoch': 2.0}\nnum_epochs=4"))).toBe(0.5);
    expect(fractionDone(parseProgress('epoch 5/5 loss=0.2'))).toBe(1);
  });

  it('reads a Keras 3 bar (━ and ms/step) for its rate', () => {
    const p = parseProgress('Epoch 3/5\n 120/469 ━━━━━━━━━━━━━━━━━━━━ 2s 6ms/step - accuracy: 0.9712 - loss: 0.0951');
    expect(p).toMatchObject({ epoch: 3, totalEpochs: 5, step: 120, totalSteps: 469 });
    expect(p.ratePerSecond).toBeCloseTo(1000 / 6);
    expect(p.etaSeconds).toBeCloseTo((469 - 120) / (1000 / 6));
    expect(p.metrics.loss).toBe(0.0951);
  });

  it('reads PyTorch Lightning (tqdm with an `Epoch n:` description and v_num)', () => {
    const p = parseProgress('Epoch 4:  37%|███▋      | 74/200 [00:05<00:08, 14.71it/s, v_num=3, train_loss=0.412]');
    // Lightning counts epochs from 0: its `Epoch 4` is the fifth.
    expect(p).toMatchObject({ epoch: 5, step: 74, totalSteps: 200, ratePerSecond: 14.71, etaSeconds: 8 });
    expect(p.metrics).toEqual({ v_num: 3, train_loss: 0.412 });
    expect(p.mainMetric).toBe('train_loss');
  });

  it("counts Lightning's epochs from 0, so its fraction of the run is right", () => {
    // As Lightning 2.x prints a fit with max_epochs=5 (the script prints its arguments first), bars redrawn
    // with CR; epoch 0 ended with validation, epoch 1 is 37% through.
    const bar = (e: number, pct: number, n: number, loss: number, tail = '') =>
      `Epoch ${e}:  ${pct}%|████      | ${n}/200 [00:05<00:08, 14.71it/s, v_num=3, train_loss=${loss}${tail}]`;
    const log = [
      'args: max_epochs=5 lr=0.001 batch_size=64',
      'GPU available: True (cuda), used: True',
      'TPU available: False, using: 0 TPU cores',
      'LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]',
      '  | Name  | Type   | Params | Mode ',
      '0 | model | ResNet | 11.2 M | train',
      `Sanity Checking: |          | 0/? [00:00<?, ?it/s]\r${bar(0, 50, 100, 1.92)}\r${bar(0, 100, 200, 1.41)}`,
      `${bar(0, 100, 200, 1.41, ', val_loss=1.38')}`,
      `${bar(1, 10, 20, 1.33, ', val_loss=1.38')}\r${bar(1, 37, 74, 1.21, ', val_loss=1.38')}`,
    ].join('\n');
    const p = parseProgress(log);
    expect(p).toMatchObject({ epoch: 2, totalEpochs: 5, step: 74, totalSteps: 200 });
    expect(fractionDone(p)).toBeCloseTo((1 + 74 / 200) / 5);
    // Lightning's rich bar names the last epoch's index: `Epoch 1/4` of max_epochs=5.
    const rich = parseProgress('Epoch 1/4:  37%|███▋      | 74/200 [00:05<00:08, 14.71it/s, v_num=0, loss=1.2]');
    expect(rich).toMatchObject({ epoch: 2, totalEpochs: 5 });
    // A bar counting from 1 is read as printed.
    expect(parseProgress('Epoch 2/5:  50%|█████     | 10/20 [00:01<00:01, 9.5it/s]')).toMatchObject({
      epoch: 2,
      totalEpochs: 5,
    });
  });

  it("reads Hugging Face Trainer's dicts, with `epoch` (printed last) as the x of the loss", () => {
    const log = [
      "{'loss': 2.1034, 'grad_norm': 3.41, 'learning_rate': 4.5e-05, 'epoch': 0.25}",
      "{'loss': 1.7712, 'grad_norm': 2.9, 'learning_rate': 4e-05, 'epoch': 0.5}",
      ' 50%|█████     | 500/1000 [01:40<01:40,  5.00it/s]',
    ].join('\n');
    const p = parseProgress(log);
    expect(p.metrics).toEqual({ loss: 1.7712, grad_norm: 2.9, learning_rate: 4e-5 });
    expect(p.series).toEqual([
      { x: 0.25, y: 2.1034 },
      { x: 0.5, y: 1.7712 },
    ]);
    expect(p).toMatchObject({ epoch: 0.5, step: 500, totalSteps: 1000, etaSeconds: 100 });
  });

  // Azure ML's std_log.txt is stdout and stderr in one file: a tqdm bar redrawn with a bare CR (stderr) has no
  // newline of its own, so the next stdout line is written right after the bar's closing bracket. Shaped as
  // local/example-share/training/train_progress.py writes it under `2>&1`.
  it('reads a merged stdout+stderr log: the Keras line after a tqdm redraw is a line of its own', () => {
    const bar = (e: number, n: number, loss: string) =>
      `\rEpoch ${e}: ${String(n * 20).padStart(3)}%|${'█'.repeat(n * 2).padEnd(10)}| ${n}/5 ` +
      `[00:0${n}<00:0${5 - n}, 1.00it/s, loss=${loss}]`;
    const keras = (n: number, loss: string, acc: string) =>
      `${n}/5 [${'='.repeat(6 * n - 1)}>${'.'.repeat(30 - 6 * n)}] - ETA: ${5 - n}s - ` +
      `loss: ${loss} - accuracy: ${acc}\n`;
    const steps: Array<[string, string]> = [
      ['2.2031', '0.1526'],
      ['1.4081', '0.4584'],
      ['1.0725', '0.5875'],
      ['0.7859', '0.6977'],
      ['0.6093', '0.7657'],
    ];
    let log = 'Epoch 1/2\n';
    steps.forEach(([loss, acc], i) => {
      log += keras(i + 1, loss, acc) + bar(1, i + 1, loss);
    });
    log += 'Epoch 2/2\n';
    const second: Array<[string, string]> = [
      ['0.4579', '0.8239'],
      ['0.3385', '0.8698'],
      ['0.2771', '0.8934'],
    ];
    second.forEach(([loss, acc], i) => {
      log += keras(i + 1, loss, acc) + bar(2, i + 1, loss);
    });
    const p = parseProgress(log, { mainMetric: 'loss' });
    expect(p.metrics).toEqual({ loss: 0.2771, accuracy: 0.8934 });
    expect(p).toMatchObject({ epoch: 2, totalEpochs: 2, step: 3, totalSteps: 5, etaSeconds: 2 });
    expect(p.series.map((s) => s.y).slice(-3)).toEqual([0.4579, 0.3385, 0.2771]);
  });

  it("reads a Hugging Face dict printed right after a tqdm bar, and a postfix holding a ']'", () => {
    const log =
      " 10%|█         | 100/1000 [00:20<03:00,  5.00it/s]{'loss': 1.9, 'learning_rate': 4.5e-05, 'epoch': 0.1}\n" +
      '\r 20%|██        | 200/1000 [00:40<02:40,  5.00it/s, lr=[0.001], acc=0.7]';
    const p = parseProgress(log);
    expect(p.metrics).toEqual({ loss: 1.9, learning_rate: 4.5e-5, acc: 0.7 });
    expect(p).toMatchObject({ step: 200, totalSteps: 1000, etaSeconds: 160 });
  });

  it('reads key=value and key: value lines, with epoch n/N', () => {
    const p = parseProgress('epoch 2/5 loss=1.25 lr=0.01\nstep: 300, val_loss: 1.31, note: fine');
    expect(p).toMatchObject({ epoch: 2, totalEpochs: 5, step: 300 });
    expect(p.metrics).toEqual({ loss: 1.25, lr: 0.01, val_loss: 1.31 });
  });

  it('reads the documented marker convention, and ignores a line that only looks like it', () => {
    const log = [
      `${METRICS_MARKER}{"step": 100, "total_steps": 400, "loss": 0.9, "tokens_per_s": 5120}`,
      `${METRICS_MARKER}{"step": 200, "loss": 0.7}`,
      `${METRICS_MARKER}{not json`,
    ].join('\n');
    const p = parseProgress(log);
    expect(p).toMatchObject({ step: 200, totalSteps: 400, metrics: { loss: 0.7, tokens_per_s: 5120 } });
    expect(p.series).toEqual([
      { x: 100, y: 0.9 },
      { x: 200, y: 0.7 },
    ]);
  });

  it('follows the metric the template names', () => {
    const p = parseProgress('step=1 loss=3 val_acc=0.5\nstep=2 loss=2 val_acc=0.6', { mainMetric: 'val_acc' });
    expect(p.mainMetric).toBe('val_acc');
    expect(p.series).toEqual([
      { x: 1, y: 0.5 },
      { x: 2, y: 0.6 },
    ]);
  });

  it('keeps a bounded, evenly thinned series of any length', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `step=${i + 1} loss=${(1 / (i + 1)).toFixed(6)}`);
    const p = parseProgress(lines.join('\n'));
    expect(p.series.length).toBeLessThanOrEqual(400);
    expect(p.series.length).toBeGreaterThan(100);
    const xs = p.series.map((s) => s.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(p.step).toBe(5000);
  });

  it('finds nothing in a log without progress', () => {
    const p = parseProgress('hello\nsaved /mnt/out/model.txt\n');
    expect(p).toEqual({ metrics: {}, series: [] });
    expect(fractionDone(p)).toBeUndefined();
  });
});
