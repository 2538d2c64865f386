"""Load-balancing algorithms and health checks, against exact counts, a reference hash and theory.

Power of two choices: Mitzenmacher, "The power of two choices in randomized load balancing",
IEEE TPDS 12(10), 2001: with n servers -> infinity at load lambda, the mean time in the system is
sum over i >= 1 of lambda^(2^i - 2) service times, against 1 / (1 - lambda) when each request picks
a server at random (each server is then an M/M/1 queue, Kleinrock vol. 1, 3.2).
"""

import pytest

import engine
from tests.engine.documents import farm

MASK = (1 << 64) - 1


def splitmix_hash(x: int) -> int:
    """The obvious Python version of engine.kernels.rng.mix64 (splitmix64's finaliser, top 63 bits)."""
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return (z ^ (z >> 31)) >> 1


def arrivals(report: dict, servers: int) -> list[int]:
    return [report["nodes"][f"web{i + 1}"]["arrivals"] for i in range(servers)]


def mean_wait_ms(report: dict, servers: int) -> float:
    webs = [report["nodes"][f"web{i + 1}"] for i in range(servers)]
    return sum(web["mean_wait_ms"] * web["arrivals"] for web in webs) / sum(web["arrivals"] for web in webs)


class TestAlgorithms:
    def test_it_round_robins_evenly(self):
        counts = arrivals(engine.run(farm("round_robin", servers=4), 20, seed=1), 4)
        assert max(counts) - min(counts) <= 1
        assert sum(counts) == pytest.approx(20_000, rel=0.05)

    def test_it_weights_in_proportion(self):
        weights = [1, 2, 5]
        counts = arrivals(engine.run(farm("weighted", weights=weights), 20, seed=2), 3)
        total = sum(counts)
        for count, weight in zip(counts, weights):
            # Smooth weighted round robin is exact over every cycle of sum(weights) requests.
            assert abs(count - total * weight / sum(weights)) <= sum(weights)

    def test_random_spreads_about_evenly(self):
        counts = arrivals(engine.run(farm("random", servers=4), 20, seed=3), 4)
        assert max(counts) / min(counts) < 1.1
        assert max(counts) - min(counts) > 1

    def test_two_choices_beats_random_on_mean_wait_at_high_load(self):
        servers, load = 20, 0.9
        rps = servers * load * 1000.0

        def waits(algorithm: str) -> float:
            doc = farm(algorithm, servers=servers, rps=rps, workers=1, service_ms=1.0)
            return mean_wait_ms(engine.run(doc, 60, seed=4, warmup_s=5), servers)

        random_wait, two_wait = waits("random"), waits("two_choices")
        assert random_wait == pytest.approx(load / (1 - load), rel=0.1)
        mean_field_wait = sum(load ** (2**i - 2) for i in range(1, 12)) - 1.0
        assert two_wait < random_wait / 3
        # 20 servers are not infinitely many, so the finite system waits somewhat longer.
        assert mean_field_wait < two_wait < 1.5 * mean_field_wait

    def test_least_connections_beats_random_on_mean_wait(self):
        def waits(algorithm: str) -> float:
            doc = farm(algorithm, servers=4, rps=3200, workers=1, service_ms=1.0)
            return mean_wait_ms(engine.run(doc, 30, seed=5, warmup_s=2), 4)

        assert waits("least_connections") < waits("random") / 2


class TestIpHash:
    def servers_of(self, clients: int, servers: int) -> list[int]:
        return [splitmix_hash(client) % servers for client in range(clients)]

    def test_one_client_always_reaches_the_same_server(self):
        report = engine.run(farm("ip_hash", clients=1), 10, seed=6)
        expected = self.servers_of(1, 3)[0]
        counts = arrivals(report, 3)
        assert counts[expected] == sum(counts) > 0

    def test_each_client_keeps_to_its_server(self):
        clients = 7
        report = engine.run(farm("ip_hash", clients=clients), 60, seed=7)
        counts = arrivals(report, 3)
        for server in range(3):
            share = self.servers_of(clients, 3).count(server) / clients
            assert counts[server] / sum(counts) == pytest.approx(share, abs=0.02)

    def test_clients_of_a_dead_server_move_to_the_next_one(self):
        server = self.servers_of(1, 3)[0]
        doc = farm("ip_hash", clients=1, scenario=[{"at": 0, "action": "kill", "target": f"web{server + 1}"}])
        counts = arrivals(engine.run(doc, 10, seed=8), 3)
        assert counts[(server + 1) % 3] == sum(counts) > 0


class TestHealthChecks:
    def run_frames(self, doc: dict, seconds: float, slice_s: float = 0.1) -> list[dict]:
        simulation = engine.Simulation(engine.load(doc), seed=9)
        return [simulation.step(slice_s) for _ in range(round(seconds / slice_s))]

    def test_a_killed_server_gets_failing_traffic_for_about_one_interval_then_none(self):
        scenario = [{"at": 4.01, "action": "kill", "target": "web1"}]
        frames = self.run_frames(farm("round_robin", rps=900, health_check_s=2.0, scenario=scenario), 10)
        failing = [frame["t"] for frame in frames if frame["nodes"]["web1"]["errors_rps"] > 0]
        assert failing[0] == pytest.approx(4.1)
        assert failing[-1] == pytest.approx(6.0)
        assert len(failing) == 20
        assert all(frame["totals"]["error_rate"] == 0 for frame in frames if frame["t"] > 6.01)
        events = [event for frame in frames for event in frame["events"] if event["kind"] == "health_check"]
        assert events == [
            {"t": 6.0, "kind": "health_check", "target": "web1",
             "message": "lb removed web1 after a failed health check.",
             "template": "{balancer} removed {target} after a failed health check.",
             "params": {"balancer": "lb", "target": "web1"}}
        ]  # fmt: skip

    def test_the_failing_share_is_the_dead_servers_share(self):
        scenario = [{"at": 4.0, "action": "kill", "target": "web2"}]
        simulation = engine.Simulation(engine.load(farm("round_robin", rps=900, health_check_s=3.0,
                                                        scenario=scenario)), seed=10)  # fmt: skip
        simulation.step(4.0)
        frame = simulation.step(2.0)
        assert frame["totals"]["error_rate"] == pytest.approx(1 / 3, abs=0.02)

    def test_a_revived_server_waits_for_a_passed_check(self):
        scenario = [{"at": 1.0, "action": "kill", "target": "web1"}, {"at": 5.01, "action": "revive", "target": "web1"}]
        frames = self.run_frames(farm("round_robin", health_check_s=2.0, scenario=scenario), 8)
        idle = [frame["t"] for frame in frames if frame["t"] > 2.01 and frame["nodes"]["web1"]["arrivals_rps"] == 0]
        assert idle[0] == pytest.approx(2.1) and idle[-1] == pytest.approx(6.0)
        back = [event for frame in frames for event in frame["events"] if event["kind"] == "health_check"][-1]
        assert (back["t"], back["message"]) == (6.0, "lb put web1 back after a passed health check.")

    def test_without_an_interval_the_balancer_knows_at_once(self):
        scenario = [{"at": 1.0, "action": "kill", "target": "web1"}]
        frames = self.run_frames(farm("least_connections", scenario=scenario), 3)
        # Only what web1 held when it died fails; nothing is sent to it afterwards.
        assert all(frame["nodes"]["web1"]["arrivals_rps"] == 0 for frame in frames if frame["t"] > 1.0)
        assert all(frame["totals"]["error_rate"] == 0 for frame in frames if frame["t"] > 1.1)

    def test_changing_the_interval_live_restarts_the_checks(self):
        simulation = engine.Simulation(engine.load(farm("round_robin", health_check_s=100.0)), seed=11)
        simulation.step(1.0)
        simulation.act({"action": "kill", "target": "web3"})
        simulation.set("lb", {"health_check_s": 0.5})
        first = simulation.step(0.4)
        second = simulation.step(0.2)
        assert first["nodes"]["web3"]["errors_rps"] > 0
        assert second["events"][0]["message"] == "lb removed web3 after a failed health check."
        assert second["events"][0]["t"] == 1.5
