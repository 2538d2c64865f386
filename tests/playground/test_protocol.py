"""One table of message types serves both WebSockets: every type a socket accepts has its handler."""

import pytest

from playground.classes.consumer import LiveClassConsumer
from playground.classes.runner import LiveRunner
from playground.sim.consumer import SimulationConsumer
from playground.sim.protocol import EDITOR, LIVE, MESSAGES, ProtocolError, checked

# Handled by the live class's socket itself; every other control goes to the class's owner.
WATCHER_MESSAGES = ("ack", "auth")


class TestMessageTable:
    def test_every_type_the_editor_accepts_has_its_handler(self):
        assert [kind for kind in EDITOR if not hasattr(SimulationConsumer, f"on_{kind}")] == []

    def test_every_type_a_live_class_accepts_has_its_handler_where_it_is_handled(self):
        owner = [kind for kind in LIVE if kind not in WATCHER_MESSAGES] + ["audience"]
        assert [kind for kind in owner if not hasattr(LiveRunner, f"on_{kind}")] == []
        assert [kind for kind in WATCHER_MESSAGES if not hasattr(LiveClassConsumer, f"on_{kind}")] == []

    def test_the_table_gives_the_handlers_their_arguments(self):
        assert MESSAGES["speed"].arguments(checked({"type": "speed", "value": 2}, EDITOR)) == (2.0,)
        assert MESSAGES["reset"].arguments({"type": "reset"}) == (None,)
        act = {"type": "act", "action": "kill", "target": "web1"}
        assert MESSAGES["act"].arguments(act) == ({"action": "kill", "target": "web1"},)

    def test_each_socket_refuses_the_types_of_the_other(self):
        with pytest.raises(ProtocolError, match="known types are load, start, pause"):
            checked({"type": "narrate", "text": "hi"}, EDITOR)
        with pytest.raises(ProtocolError, match="known types are start, pause, .*, narrate, end"):
            checked({"type": "load", "document": {}}, LIVE)
