"""Event sentences the Django side sends itself, as templates like the engine's (engine/messages.py):
each page translates them with djangojs.po."""

TAKEOVER = "The server running this class stopped; another one took over and the class goes on."

TEMPLATES: frozenset[str] = frozenset({TAKEOVER})
