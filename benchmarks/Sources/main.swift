// Release-mode benchmark runner; see benchmarks/README.md.
print("certmax-bench: no benchmarks registered yet")
