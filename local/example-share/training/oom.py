"""Runs out of memory for real, safely: the process's address space is capped (RLIMIT_AS) before it grows a
list of buffers, so Python raises MemoryError (with its traceback) long before the machine is short of memory."""
import argparse
import resource

p = argparse.ArgumentParser()
p.add_argument("--limit-mib", type=int, default=512)
cap = p.parse_args().limit_mib
resource.setrlimit(resource.RLIMIT_AS, (cap * 1024 * 1024, cap * 1024 * 1024))
print(f"loading the dataset into memory (limit {cap} MiB)", flush=True)
chunks = []
for i in range(10_000):
    chunks.append(bytearray(32 * 1024 * 1024))
    print(f"step={i} loaded_mib={32 * (i + 1)}", flush=True)
