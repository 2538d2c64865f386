"""The compiled core: numba kernels over flat arrays, no Python objects inside.

`layout` says what every array and column holds; `entry` has the kernels Python calls; the other
modules hold the kernels they inline, by concern. Imports only engine.catalog (for the codes of
kinds and choices).
"""
