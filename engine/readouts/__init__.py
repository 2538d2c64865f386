"""Read-outs: what the kernels' counters say, as JSON (frames and reports), design findings of a
topology, and the statistics of replicated runs.

Imports engine.catalog, engine.kernels and engine.model only.
"""
