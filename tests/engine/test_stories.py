"""Stories of sampled requests: which requests are sampled, what each hop says, and that sampling
changes nothing else; failures counted per node and cause, and the events that name them."""

import io
import json
from contextlib import redirect_stdout

import pytest

import engine
from engine.__main__ import main
from engine.simulation.warm import WARM_DOCUMENT
from tests.engine.documents import balanced, cached, farm, jobs, replicated, sessions, single_server
from tests.engine.test_geo import two_regions, with_cdn

STORIES = 20


def frames(document: dict, seconds: float, seed: int = 1, stories: int = STORIES, step: float = 0.1,
           actions: dict | None = None) -> list[dict]:  # fmt: skip
    """The frames of a run in steps of `step`, with `actions` ({step number: action}) between them."""
    simulation = engine.Simulation(engine.load(document), seed=seed, stories=stories)
    out = []
    for i in range(round(seconds / step)):
        if actions and i in actions:
            simulation.act(actions[i])
        out.append(simulation.step(step))
    return out


def told(document: dict, seconds: float, **options) -> list[dict]:
    return [story for frame in frames(document, seconds, **options) for story in frame["stories"]]


def hops(stories: list[dict], outcome: str) -> list[dict]:
    return [hop for story in stories for hop in story["hops"] if hop["outcome"] == outcome]


def overloaded(queue_limit: int = 5) -> dict:
    """users -> lb -> two web servers (2 workers, queue limit 5) -> database, at twice their capacity."""
    doc = balanced(rps=800)
    for web in doc["nodes"][2:4]:
        web["props"] = {"workers": 2, "service_ms": 10, "queue_limit": queue_limit}
    return doc


def without_stories(frame: dict) -> dict:
    return {key: value for key, value in frame.items() if key not in ("stories", "exemplars")}


KILL_WEB1 = {5: {"action": "kill", "target": "web1"}}
RUNS = [
    ("overloaded", overloaded(), None),
    ("cached", cached(rps=2000, read_ratio=0.8), None),
    ("replicated", replicated(rps=2000, read_ratio=0.5, keys=50), {5: {"action": "kill", "target": "primary"}}),
    ("jobs", jobs(rps=300, job_ratio=0.5, workers=1), {5: {"action": "kill", "target": "worker1"}}),
    ("sessions", sessions("local", clients=50), KILL_WEB1),
    ("dns", two_regions(ttl_s=10.0, kr_share=0.4), {5: {"action": "kill", "target": "lb1"}}),
    ("cdn", with_cdn(rps=3000), None),
    ("warm", WARM_DOCUMENT, {5: {"action": "partition", "target": "dc", "other": "dc2"}, 8: KILL_WEB1[5]}),
]


class TestSampling:
    @pytest.mark.parametrize("name, document, actions", RUNS, ids=[run[0] for run in RUNS])
    @pytest.mark.parametrize("seed", [1, 7, 42])
    def test_tracing_changes_no_other_number_of_the_frames(self, name, document, actions, seed):
        traced = frames(document, 1.5, seed=seed, actions=actions)
        plain = frames(document, 1.5, seed=seed, stories=0, actions=actions)
        assert [without_stories(frame) for frame in traced] == plain
        assert sum(len(frame["stories"]) for frame in traced) > 0
        assert "stories" not in plain[0]

    @pytest.mark.parametrize("name, document, actions", RUNS[:4], ids=[run[0] for run in RUNS[:4]])
    def test_the_same_seed_and_actions_tell_the_same_stories(self, name, document, actions):
        first = frames(document, 1.0, seed=3, actions=actions)
        again = frames(document, 1.0, seed=3, actions=actions)
        assert [f["stories"] for f in first] == [f["stories"] for f in again]
        assert [f["exemplars"] for f in first] == [f["exemplars"] for f in again]

    def test_a_frame_tells_at_most_its_share_of_stories_spread_over_the_run(self):
        busy = frames(farm("round_robin", rps=50_000, servers=4, workers=64), 1.0, stories=10)
        counts = [len(frame["stories"]) for frame in busy]
        assert max(counts) <= 10
        assert sum(counts) >= 30
        starts = sorted(story["t"] for frame in busy for story in frame["stories"])
        assert starts[0] < 0.2 and starts[-1] > 0.8

    def test_a_quiet_run_tells_every_request(self):
        stories = told(single_server(rps=20), 3.0)
        assert len({story["id"] for story in stories}) == len(stories) > 30

    def test_stories_must_be_a_small_whole_number(self):
        with pytest.raises(ValueError, match="stories"):
            engine.Simulation(engine.load(single_server(10)), stories=1000)


class TestHopTimes:
    @pytest.mark.parametrize("name, document, actions", RUNS, ids=[run[0] for run in RUNS])
    def test_network_queue_and_service_times_add_up_to_the_latency(self, name, document, actions):
        stories = told(document, 1.5, actions=actions)
        checked = 0
        for story in stories:
            if story["class"] == "job" or story["lost_hops"]:
                continue  # a job's user is answered when it is queued; its work comes after
            spent = sum(hop["network_ms"] + hop["queued_ms"] + hop["service_ms"] for hop in story["hops"])
            assert spent == pytest.approx(story["latency_ms"], abs=1e-3 * (1 + len(story["hops"])))
            checked += 1
        assert checked > 10

    def test_each_hop_starts_when_the_one_before_it_ended(self):
        for story in told(balanced(rps=400), 1.0):
            for before, after in zip(story["hops"], story["hops"][1:]):
                end = before["at_ms"] + before["queued_ms"] + before["service_ms"]
                assert after["at_ms"] == pytest.approx(end, abs=1e-3)

    def test_a_job_is_answered_when_queued_and_its_story_goes_on_to_the_worker(self):
        stories = [s for s in told(jobs(rps=200, workers=1, service_ms=4), 2.0) if s["class"] == "job"]
        assert stories
        for story in stories:
            queue, worker = story["hops"][-2:]
            assert (queue["node"], queue["outcome"], worker["node"]) == ("queue", "job_queued", "worker1")
            assert story["latency_ms"] == pytest.approx(queue["at_ms"], abs=1e-3)
            assert story["done_ms"] >= story["latency_ms"] + worker["service_ms"] - 1e-3


class TestOutcomes:
    def test_a_refused_request_names_the_full_queue_and_its_limit(self):
        failed = [s for s in told(overloaded(), 2.0) if s["outcome"] == "failed"]
        assert failed and {s["cause"] for s in failed} == {"queue_full"}
        last = failed[0]["hops"][-1]
        assert last["node"] in ("web1", "web2")
        assert (last["outcome"], last["queue_limit"], last["workers"]) == ("queue_full", 5, 2)
        assert last["queued_ms"] == last["service_ms"] == 0.0

    def test_a_request_sent_to_a_dead_server_fails_there_and_later_ones_are_routed_around_it(self):
        doc = farm("round_robin", servers=2, rps=400, health_check_s=1.0)
        stories = told(doc, 2.0, actions={5: {"action": "kill", "target": "web1"}})
        dead = [s for s in stories if s["cause"] == "dead"]
        assert dead and all(s["hops"][-1]["node"] == "web1" and s["t"] < 1.01 for s in dead)
        around = hops([s for s in stories if s["t"] > 1.1], "failed_over")
        assert around and all(hop["to"] == "web2" and hop["believed_down"] == 1 for hop in around)

    def test_requests_held_by_a_killed_server_fail_as_killed(self):
        stories = told(overloaded(), 1.0, actions={5: {"action": "kill", "target": "web1"}})
        killed = [s for s in stories if s["cause"] == "killed"]
        assert killed and all(s["hops"][-1]["node"] == "web1" for s in killed)

    def test_cache_hits_answer_at_the_cache_and_misses_go_on_to_the_database(self):
        stories = told(cached(rps=1000, keys=200, capacity=50), 2.0)
        hit = [s for s in stories if s["hops"][-1]["outcome"] == "cache_hit"]
        miss = [s for s in stories if any(h["outcome"] == "cache_miss" for h in s["hops"])]
        assert hit and miss
        assert [h["node"] for h in miss[0]["hops"]] == ["web", "cache", "db"]
        assert hit[0]["hops"][-1]["key"] == hit[0]["key"]

    def test_a_stale_read_names_the_replica_its_lag_and_how_far_behind_it_was(self):
        stories = told(replicated(rps=2000, read_ratio=0.5, keys=20, lag_ms=100), 2.0)
        stale = hops(stories, "stale_read")
        assert stale
        for hop in stale:
            assert (hop["node"], hop["replica_lag_ms"], hop["primary"]) == ("replica1", 100.0, "primary")
            assert 0 <= hop["behind_ms"] < 100.0
        fresh = [h for h in hops(stories, "served") if h["node"] == "replica1"]
        assert fresh and all(h["replica_lag_ms"] == 100.0 and "behind_ms" not in h for h in fresh)

    def test_cdn_hits_and_misses(self):
        stories = told(with_cdn(rps=2000, files=100, capacity=20), 2.0)
        assert hops(stories, "cdn_hit") and hops(stories, "cdn_miss")
        missed = next(s for s in stories if s["hops"][0]["outcome"] == "cdn_miss")
        assert [h["node"] for h in missed["hops"]] == ["cdn", "files"]

    def test_a_cached_dns_answer_to_a_dead_entry_point_is_named(self):
        stories = told(two_regions(ttl_s=30.0), 2.0, actions={5: {"action": "kill", "target": "lb1"}})
        dropped = [s for s in stories if s["cause"] == "dns_dead_entry"]
        assert dropped
        dns, entry = dropped[0]["hops"][-2:]
        assert (dns["node"], dns["outcome"], dns["to"], entry["node"]) == ("dns", "resolved", "lb1", "lb1")

    def test_a_session_lost_on_another_server_is_in_the_story(self):
        stories = told(sessions("local", clients=20, rps=500), 1.0)
        lost = hops(stories, "session_lost")
        assert lost and {hop["node"] for hop in lost} <= {"web1", "web2"}

    def test_stories_say_where_the_network_time_went(self):
        story = next(s for s in told(two_regions(kr_share=0.5), 1.0) if s["from"] == "kr")
        assert story["network_ms"] == pytest.approx(sum(h["network_ms"] for h in story["hops"]))
        assert story["network_ms"] >= 180.0  # ap-northeast to us-east and back, or to its own region


class TestFailureCauses:
    def test_node_errors_are_split_by_cause_in_frames_and_reports(self):
        frame = engine.Simulation(engine.load(overloaded()), seed=1).step(2.0)
        web = frame["nodes"]["web1"]
        assert web["errors_rps"] > 0 and web["errors_by_cause"] == {"queue_full": web["errors_rps"]}
        assert frame["nodes"]["db"]["errors_by_cause"] == {}
        report = engine.run(overloaded(), 5.0, seed=1)
        nodes = report["nodes"]
        assert sum(sum(n["dropped_by_cause"].values()) for n in nodes.values()) == report["errors"] > 0
        assert nodes["web2"]["dropped_by_cause"] == {"queue_full": nodes["web2"]["dropped"]}

    def test_the_event_log_names_the_cause_with_its_rate_and_says_when_it_stops(self):
        simulation = engine.Simulation(engine.load(overloaded()), seed=1)
        events = [event for _ in range(20) for event in simulation.step(0.1)["events"]]
        failing = [e for e in events if e["kind"] == "failing"]
        assert {e["target"] for e in failing} == {"web1", "web2"}
        params = failing[0]["params"]
        assert params["limit"] == 5 and 100 < params["rate"] < 300
        assert "queue is full (limit 5)" in failing[0]["message"]
        simulation.set("traffic", {"rps": 100})
        later = [event for _ in range(80) for event in simulation.step(0.1)["events"]]
        ended = [e for e in later if e["kind"] == "failures_ended"]
        assert {e["target"] for e in ended} == {"web1", "web2"} and ended[0]["params"]["count"] > 100

    def test_requests_to_a_dead_server_are_named_in_the_log(self):
        simulation = engine.Simulation(engine.load(farm("round_robin", servers=2, rps=400, health_check_s=5)))
        simulation.act({"action": "kill", "target": "web1"})
        events = [event for _ in range(15) for event in simulation.step(0.1)["events"]]
        failing = next(e for e in events if e["kind"] == "failing")
        assert failing["target"] == "web1" and failing["message"].startswith("Requests are still sent to web1")
        assert failing["params"]["rate"] == pytest.approx(200, rel=0.25)


class TestExemplars:
    def test_exemplars_are_the_windows_slowest_and_failed_stories(self):
        run = frames(overloaded(), 3.0)
        seen = {story["id"]: story for frame in run for story in frame["stories"]}
        last = run[-1]["exemplars"]
        assert len(last["slowest"]) == 3 and 1 <= len(last["failed"]) <= 5
        assert all(seen[i]["outcome"] == "failed" for i in last["failed"])
        slowest = [seen[i]["latency_ms"] for i in last["slowest"]]
        recent = [s for f in run[-50:] for s in f["stories"] if s["outcome"] == "answered"]
        assert slowest == sorted(slowest, reverse=True) and slowest[0] == max(s["latency_ms"] for s in recent)


class TestCommandLine:
    def test_run_trace_prints_that_many_stories_as_json(self, tmp_path):
        path = tmp_path / "overloaded.json"
        path.write_text(json.dumps(overloaded()))
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["run", str(path), "--trace", "7", "--duration", "5", "--seed", "2"]) == 0
        stories = json.loads(out.getvalue())
        assert len(stories) == 7 and all(story["hops"] for story in stories)
        assert stories == engine.stories(overloaded(), 5.0, 7, seed=2)
