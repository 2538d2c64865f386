"""Live and scripted actions beyond kill and revive: slow, spike and scale.

Theory: M/M/1 mean wait rho / (mu - lambda) (Kleinrock, Queueing Systems vol. 1, 3.2), with the
service time multiplied by the slow-down factor.
"""

import pytest

import engine
from tests.engine.documents import backed_up, balanced, replicated, sharded, single_server


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


def events_of(frames: list[dict]) -> list[dict]:
    return [event for frame in frames for event in frame["events"]]


class TestSlow:
    def test_a_slowed_server_waits_as_theory_says_for_the_longer_service(self):
        factor, lam, service_ms = 2.0, 350.0, 1.0
        doc = single_server(lam, service_ms=service_ms)
        doc["scenario"] = [{"at": 0, "action": "slow", "target": "web", "factor": factor}]
        web = engine.run(doc, 1500, seed=1, warmup_s=20)["nodes"]["web"]
        mu = 1000.0 / (service_ms * factor)
        assert web["utilization"] == pytest.approx(lam / mu, abs=0.01)
        assert web["mean_wait_ms"] == pytest.approx(1000.0 * (lam / mu) / (mu - lam), rel=0.05)

    def test_it_announces_the_slow_down_and_the_recovery(self):
        simulation = fresh(balanced())
        simulation.step(1.0)
        simulation.act({"action": "slow", "target": "db", "factor": 4})
        slowed = simulation.step(2.0)
        simulation.act({"action": "slow", "target": "db", "factor": 1})
        back = simulation.step(2.0)
        message = "db slowed down: each request it starts takes 4x as long."
        template = "{target} slowed down: each request it starts takes {factor:g}x as long."
        assert slowed["events"][0] == {"t": 1.0, "kind": "slow", "target": "db", "message": message,
                                       "template": template, "params": {"target": "db", "factor": 4}}  # fmt: skip
        assert back["events"][0]["message"] == "db is back to its normal speed."
        assert slowed["nodes"]["db"]["util"] > 3 * back["nodes"]["db"]["util"]

    def test_it_uses_the_catalogs_default_factor(self):
        simulation = fresh(balanced())
        simulation.act({"action": "slow", "target": "web1"})
        assert "5x" in simulation.step(0.1)["events"][0]["message"]


class TestSpike:
    def test_traffic_rises_for_the_spike_and_comes_back(self):
        doc = balanced(rps=500, scenario=[{"at": 2, "action": "spike", "factor": 3, "seconds": 2}])
        simulation = fresh(doc, seed=2)
        frames = [simulation.step(1.0) for _ in range(6)]
        offered = [frame["totals"]["offered_rps"] for frame in frames]
        assert offered[0] == pytest.approx(500, rel=0.15) and offered[1] == pytest.approx(500, rel=0.15)
        assert offered[2] == pytest.approx(1500, rel=0.1) and offered[3] == pytest.approx(1500, rel=0.1)
        assert offered[4] == pytest.approx(500, rel=0.15) and offered[5] == pytest.approx(500, rel=0.15)
        assert [(event["t"], event["kind"], event["message"]) for event in events_of(frames)] == [
            (2.0, "spike", "Traffic spikes to 3x (1,500 rps) for 2 s."),
            (4.0, "spike_end", "The spike is over: traffic is back to 500 rps."),
        ]

    def test_a_new_spike_replaces_the_running_one(self):
        simulation = fresh(balanced(rps=100))
        simulation.act({"action": "spike", "factor": 10, "seconds": 5})
        simulation.step(1.0)
        simulation.act({"action": "spike", "factor": 2, "seconds": 1})
        during = simulation.step(1.0)
        after = [simulation.step(1.0) for _ in range(4)]
        assert during["totals"]["offered_rps"] == pytest.approx(200, rel=0.3)
        assert [(event["t"], event["kind"]) for event in events_of(after)] == [(2.0, "spike_end")]
        assert sum(frame["totals"]["offered_rps"] for frame in after) / 4 == pytest.approx(100, rel=0.2)

    def test_a_rate_change_during_a_spike_is_spiked_too(self):
        simulation = fresh(balanced(rps=100))
        simulation.act({"action": "spike", "factor": 4, "seconds": 60})
        simulation.set("traffic", {"rps": 200})
        assert simulation.step(5.0)["totals"]["offered_rps"] == pytest.approx(800, rel=0.1)


class TestScale:
    def test_more_workers_take_the_same_load_at_lower_utilisation(self):
        simulation = fresh(single_server(rps=300, workers=4, service_ms=10))
        before = [simulation.step(1.0) for _ in range(3)][-1]
        simulation.act({"action": "scale", "target": "web", "workers": 12})
        after = [simulation.step(1.0) for _ in range(3)]
        assert after[-1]["nodes"]["web"]["util"] == pytest.approx(before["nodes"]["web"]["util"] / 3, rel=0.2)
        assert after[0]["events"][0]["message"] == "web scaled from 4 to 12 workers."

    def test_scaling_up_drains_a_backlog(self):
        simulation = fresh(single_server(rps=150, workers=1, service_ms=10, queue_limit=10_000))
        backlog = [simulation.step(1.0) for _ in range(5)][-1]["nodes"]["web"]["queue"]
        simulation.act({"action": "scale", "target": "web", "workers": 4})
        drained = [simulation.step(1.0) for _ in range(5)][-1]["nodes"]["web"]["queue"]
        assert backlog > 100
        assert drained < 5

    def test_scaling_down_keeps_every_request_in_hand(self):
        # Found by fuzzing: a smaller server once shrank the request pool under live requests.
        simulation = fresh(single_server(rps=300, workers=8, service_ms=20, queue_limit=50))
        simulation.step(1.0)
        simulation.act({"action": "scale", "target": "web", "workers": 1})
        frames = [simulation.step(1.0) for _ in range(3)]
        assert frames[-1]["nodes"]["web"]["util"] == pytest.approx(1.0, abs=0.02)
        assert frames[-1]["totals"]["rps"] == pytest.approx(50, rel=0.2)  # one worker: 1 / 20 ms


class TestRefusals:
    @pytest.mark.parametrize(
        "action, words",
        [
            ({"action": "slow", "target": "lb", "factor": 2}, "works on a web server, .* or object storage; 'lb' is a"),
            ({"action": "slow", "target": "db", "factor": 0}, "from 0.1 to 100"),
            ({"action": "slow", "target": "db", "speed": 2}, "no setting called 'speed'"),
            ({"action": "spike", "factor": 2, "seconds": -1}, "from 0.1 to 86400"),
            ({"action": "scale", "target": "web1", "workers": 2.5}, "whole number"),
            ({"action": "scale", "target": "users", "workers": 2}, "Users cannot"),
        ],
    )
    def test_it_refuses_bad_actions_with_the_catalogs_words(self, action, words):
        with pytest.raises(engine.ActionError, match=words):
            fresh(balanced()).act(action)

    def test_it_refuses_a_bad_scenario_step_with_its_path(self):
        doc = balanced(scenario=[{"at": 1, "action": "scale", "target": "lb", "workers": 3}])
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems[0]["path"] == "scenario[0].target"

    def test_the_catalog_describes_each_actions_settings(self):
        actions = engine.catalog_json()["actions"]
        assert actions["spike"]["needs_target"] is False
        assert set(actions["spike"]["params"]) == {"factor", "seconds"}
        assert actions["slow"]["targets"] == [
            "web_server", "database", "cache", "worker", "session_store", "cdn", "object_store",
        ]  # fmt: skip
        assert actions["kill"]["targets"] is None and actions["kill"]["params"] == {}
        assert actions["scale"]["params"]["workers"]["type"] == "int"

    @pytest.mark.parametrize(
        "doc, action, requirement",
        [
            (sharded(spares=1), {"action": "add_shard", "target": "shard1"}, "spare_shard"),
            (replicated(), {"action": "bad_write", "target": "replica1"}, "takes_writes"),
            (replicated(), {"action": "restore", "target": "primary"}, "backed_up"),
        ],
    )
    def test_what_an_action_requires_is_in_the_catalog_and_refused_where_it_does_not_hold(
        self, doc, action, requirement
    ):
        """The editor offers an action only where its `requires` hold (static/js/actions.js); the
        engine refuses it elsewhere, with the reason."""
        assert engine.catalog_json()["actions"][action["action"]]["requires"] == [requirement]
        with pytest.raises(engine.ActionError):
            fresh(doc).act(action)

    @pytest.mark.parametrize(
        "doc, action",
        [
            (sharded(shards=2, spares=1), {"action": "add_shard", "target": "shard3"}),
            (replicated(), {"action": "bad_write", "target": "primary"}),
            # A replica is restored from its primary's backup: the editor offers restore on it too.
            (backed_up(), {"action": "restore", "target": "replica1"}),
        ],
    )
    def test_an_action_applies_where_what_it_requires_holds(self, doc, action):
        simulation = fresh(doc)
        simulation.act(action)
        assert [event["kind"] for event in simulation.step(0.1)["events"]] == [action["action"]]
