"""Sessions kept on web servers or in a session store, and the sessions lost when traffic moves or
a server dies.

With round robin and many clients interleaved, the server of a client's next request is
independent of the last one's, so a client that already has a session loses it with
probability 1 - 1/n on n servers. With ip_hash a client always reaches the same server (see
test_load_balancing for the hash), so only a server's death loses sessions: those of the clients
it held.
"""

import pytest

import engine
from tests.engine.documents import sessions
from tests.engine.test_load_balancing import splitmix_hash


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


class TestLocalSessions:
    def test_round_robin_logs_users_out_as_their_requests_move(self):
        clients, servers = 100, 3
        report = engine.run(sessions("local", servers=servers, clients=clients), 20, seed=1)
        returning = report["requests"] - clients
        assert report["data"]["sessions_lost"] == pytest.approx(returning * (1 - 1 / servers), rel=0.03)

    def test_ip_hash_keeps_sessions_until_a_server_dies(self):
        clients = 100
        simulation = fresh(sessions("local", algorithm="ip_hash", clients=clients), seed=2)
        steady = [simulation.step(1.0) for _ in range(5)]
        simulation.act({"action": "kill", "target": "web1"})
        killed = simulation.step(1.0)
        after = [simulation.step(1.0) for _ in range(3)]
        assert all(frame["totals"]["sessions_lost"] == 0 for frame in steady + after)
        on_web1 = sum(splitmix_hash(client) % 2 == 0 for client in range(clients))
        assert killed["totals"]["sessions_lost"] == on_web1
        assert f"{on_web1} users lost their sessions" in killed["events"][0]["message"]

    def test_stateless_servers_lose_nothing(self):
        assert engine.run(sessions("none"), 10, seed=3)["data"]["sessions_lost"] == 0


class TestSessionStore:
    def test_a_store_keeps_sessions_whichever_server_serves(self):
        simulation = fresh(sessions("store", clients=100), seed=4)
        frame = [simulation.step(1.0) for _ in range(5)][-1]
        simulation.act({"action": "kill", "target": "web2"})
        after = [simulation.step(1.0) for _ in range(2)]
        flows = {(edge["from"], edge["to"]): edge["flows"] for edge in frame["edges"]}
        assert flows[("web1", "store")]["read"] + flows[("web1", "store")]["write"] > 0
        assert frame["nodes"]["store"]["rps"] == pytest.approx(frame["totals"]["rps"], rel=0.05)
        assert all(f["totals"]["sessions_lost"] == 0 for f in [frame, *after])

    def test_a_dead_store_loses_every_session_and_fails_requests(self):
        simulation = fresh(sessions("store", clients=100), seed=5)
        simulation.step(5.0)
        simulation.act({"action": "kill", "target": "store"})
        frame = simulation.step(1.0)
        assert frame["totals"]["sessions_lost"] == 100
        assert frame["totals"]["rps"] == 0

    def test_the_session_visit_adds_the_stores_time(self):
        def p50(mode: str) -> float:
            return engine.run(sessions(mode), 10, seed=6)["latency_ms"]["p50"]

        assert p50("store") > p50("none") + 0.3

    def test_it_needs_a_store_to_keep_sessions_in(self):
        doc = sessions("store")
        doc["edges"] = [edge for edge in doc["edges"] if edge["to"] != "store"]
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems[0]["path"] == "nodes[2].props.sessions"

    def test_fewer_clients_while_running_keep_the_remaining_sessions(self):
        simulation = fresh(sessions("local", algorithm="ip_hash", clients=1000), seed=7)
        simulation.step(2.0)
        simulation.set("traffic", {"clients": 10})
        assert simulation.step(2.0)["totals"]["sessions_lost"] == 0
        simulation.set("traffic", {"clients": 5000})
        assert simulation.step(2.0)["totals"]["sessions_lost"] == 0
