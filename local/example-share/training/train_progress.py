"""A training loop that looks like one: about two minutes, a falling loss, printed the way Keras (stdout) and
tqdm (stderr, redrawn with a bare CR) print it, so the job's card shows a progress bar, an ETA and the loss."""
import argparse
import math
import random
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=6)
p.add_argument("--steps", type=int, default=20)
p.add_argument("--step-seconds", type=float, default=1.0)
a = p.parse_args()

random.seed(7)
total = a.epochs * a.steps
start = time.time()
for epoch in range(1, a.epochs + 1):
    print(f"Epoch {epoch}/{a.epochs}", flush=True)
    for step in range(1, a.steps + 1):
        time.sleep(a.step_seconds)
        done = (epoch - 1) * a.steps + step
        loss = 2.5 * math.exp(-3.0 * done / total) + 0.05 + random.uniform(-0.02, 0.02)
        acc = 1.0 - loss / 2.6
        elapsed = time.time() - start
        rate = done / elapsed
        left = (a.steps - step) / rate
        bar = "=" * (30 * step // a.steps - 1) + ">" + "." * (30 - 30 * step // a.steps)
        eta = int((a.steps - step) * a.step_seconds)
        print(f"{step}/{a.steps} [{bar}] - ETA: {eta}s - loss: {loss:.4f} - accuracy: {acc:.4f}", flush=True)
        # One bar per epoch, as PyTorch Lightning draws it; the ETA is the epoch's, the card's is the run's.
        pct = 100 * step // a.steps
        filled = "█" * (pct // 10)
        sys.stderr.write(
            f"\rEpoch {epoch}: {pct:3d}%|{filled:<10}| {step}/{a.steps} [{int(elapsed) // 60:02d}:"
            f"{int(elapsed) % 60:02d}<{int(left) // 60:02d}:{int(left) % 60:02d}, {rate:.2f}it/s, loss={loss:.4f}]"
        )
        sys.stderr.flush()
sys.stderr.write("\n")
print(f"done: final loss {loss:.4f}", flush=True)
