"""The model of a document: validation, the compiled Topology (with its replica sets and shard
groups), patching a document, and the kernel arrays (State) one simulation of it carries.

Imports engine.catalog and engine.kernels only.
"""
