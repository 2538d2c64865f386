"""What the engine knows about, as data: kinds and their props, traffic settings, actions and what
they require, request classes, regions and machine sizes, and the sentences of its events.

The lowest layer: it imports nothing else of the engine (docs/architecture.md).
"""
