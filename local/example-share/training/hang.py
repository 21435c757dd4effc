"""Trains a few steps, then waits forever the way a collective waits for a rank that is gone: no output, no
exit, nodes billed. The progress reader's stall check is what notices it (STALL_MINUTES)."""
import time

for step in range(1, 6):
    print(f"step={step} loss={1.0 / step:.4f}", flush=True)
    time.sleep(0.5)
print("all_reduce: waiting for rank 1", flush=True)
while True:
    time.sleep(3600)
