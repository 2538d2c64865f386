"""Message queues and workers: producers enqueue and return at once, workers drain the queue.

Theory: jobs arriving as a Poisson stream at one queue served by c workers with exponential times
form an M/M/c queue, whose mean wait is C(c, a) / (c mu - lambda) with C the Erlang C
probability (Kleinrock, Queueing Systems vol. 1, 3.5); Little's law L = lambda W for the queue.
"""

import math

import pytest

import engine
from tests.engine.documents import balanced, jobs
from tests.engine.test_theory import erlang_c


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


class TestTheory:
    def test_the_queue_waits_as_erlang_c_says(self):
        c, lam, service_ms = 4, 3000.0, 1.0
        mu = 1000.0 / service_ms
        report = engine.run(jobs(rps=lam, workers=c, service_ms=service_ms), 300, seed=1, warmup_s=10)
        queue = report["nodes"]["queue"]
        assert queue["mean_wait_ms"] == pytest.approx(1000.0 * erlang_c(c, lam / mu) / (c * mu - lam), rel=0.05)
        assert report["nodes"]["worker1"]["utilization"] == pytest.approx(lam / (c * mu), abs=0.01)
        # Little's law for the jobs waiting in the queue.
        assert queue["mean_queue"] == pytest.approx(queue["arrivals"] / 300 * queue["mean_wait_ms"] / 1000, rel=0.03)


class TestProducers:
    def test_users_are_answered_without_waiting_for_the_job(self):
        report = engine.run(jobs(rps=300, workers=4, service_ms=10.0), 20, seed=2)
        # The web server's 1 ms is all the user waits; the 10 ms jobs happen after.
        assert report["latency_ms"]["p99"] == pytest.approx(1.0, rel=0.05)
        assert report["nodes"]["worker1"]["completed"] == pytest.approx(report["completed"], abs=10)

    def test_only_the_job_share_goes_to_the_queue(self):
        doc = jobs(rps=1000, job_ratio=0.25)
        frame = [fresh(doc).step(1.0) for _ in range(3)][-1]
        flows = {(edge["from"], edge["to"]): edge["flows"] for edge in frame["edges"]}
        assert flows[("web", "queue")]["job"] == pytest.approx(250, rel=0.2)
        assert flows[("web", "queue")]["read"] == flows[("web", "queue")]["write"] == 0
        assert flows[("queue", "worker1")]["job"] == pytest.approx(flows[("web", "queue")]["job"], abs=3)

    def test_without_jobs_nothing_changes(self):
        assert json_of(fresh(balanced(), seed=3), 3) == json_of(fresh(balanced(), seed=3), 3)
        frame = fresh(balanced()).step(1.0)
        assert all(edge["flows"]["job"] == 0 for edge in frame["edges"])


def json_of(simulation: engine.Simulation, count: int) -> list[dict]:
    return [simulation.step(1.0) for _ in range(count)]


class TestDepth:
    def test_too_few_workers_let_the_queue_grow_without_losing_anything(self):
        # 200 jobs a second, 2 workers of 20 ms: 100 a second done, the queue grows by 100 a second.
        simulation = fresh(jobs(rps=200, workers=2, service_ms=20.0))
        frames = [simulation.step(1.0) for _ in range(10)]
        depth = frames[-1]["totals"]["queue_depth"]
        # 2,000 Poisson arrivals (standard deviation 45) less 1,000 exponential services (32): within
        # four standard deviations.
        assert depth == pytest.approx(1000, abs=4 * math.sqrt(2000 + 1000))
        assert frames[-1]["nodes"]["queue"]["queue"] == depth
        assert all(frame["totals"]["error_rate"] == 0 for frame in frames)
        # Nothing lost: every job that reached the queue is still there or was handed to a worker.
        queue = simulation.report(10.0)["nodes"]["queue"]
        assert queue["arrivals"] == queue["completed"] + depth

    def test_a_full_queue_refuses_jobs(self):
        simulation = fresh(jobs(rps=200, workers=1, service_ms=20.0, queue_limit=50))
        frame = [simulation.step(1.0) for _ in range(3)][-1]
        # Full, but for the jobs the worker took since the last refusal.
        assert 45 <= frame["nodes"]["queue"]["queue"] <= 50
        assert frame["totals"]["error_rate"] == pytest.approx(0.75, abs=0.1)

    def test_more_workers_drain_the_backlog(self):
        simulation = fresh(jobs(rps=200, workers=2, service_ms=20.0))
        backlog = [simulation.step(1.0) for _ in range(5)][-1]["totals"]["queue_depth"]
        simulation.act({"action": "scale", "target": "worker1", "workers": 16})
        after = [simulation.step(1.0) for _ in range(5)][-1]["totals"]["queue_depth"]
        assert backlog > 300
        assert after < 10


class TestFailures:
    def test_a_dead_worker_gives_its_jobs_back_and_the_others_do_them(self):
        simulation = fresh(jobs(rps=150, workers=2, service_ms=10.0, worker_nodes=2), seed=4)
        simulation.step(2.0)
        busy = simulation.step(0.5)["nodes"]["worker1"]
        simulation.act({"action": "kill", "target": "worker1"})
        frame = simulation.step(2.0)
        assert busy["util"] > 0
        assert "went back to queue, 0 were lost" in frame["events"][0]["message"]
        assert frame["nodes"]["worker1"]["errors_rps"] == 0
        assert frame["nodes"]["worker2"]["rps"] == pytest.approx(150, rel=0.2)

    def test_with_every_worker_dead_jobs_wait_and_are_done_after_revival(self):
        simulation = fresh(jobs(rps=100, workers=4, service_ms=10.0), seed=5)
        simulation.act({"action": "kill", "target": "worker1"})
        waiting = [simulation.step(1.0) for _ in range(3)][-1]
        simulation.act({"action": "revive", "target": "worker1"})
        drained = [simulation.step(1.0) for _ in range(3)][-1]
        assert waiting["totals"]["queue_depth"] == pytest.approx(300, rel=0.2)
        assert waiting["totals"]["error_rate"] == 0
        assert drained["totals"]["queue_depth"] < 5

    def test_a_dead_queue_loses_its_jobs_and_refuses_new_ones(self):
        simulation = fresh(jobs(rps=200, workers=1, service_ms=20.0), seed=6)
        held = [simulation.step(1.0) for _ in range(2)][-1]["totals"]["queue_depth"]
        simulation.act({"action": "kill", "target": "queue"})
        frame = simulation.step(1.0)
        assert frame["events"][0]["message"] == f"queue was killed; the {held} jobs it held were lost."
        # Every request fails (a few sent before the kill fail in this slice too; the few still at
        # the web server when the slice ends fail in the next), none completes.
        assert frame["totals"]["error_rate"] >= 0.98
        assert frame["totals"]["rps"] == 0
        assert frame["nodes"]["queue"]["errors_rps"] > 0

    def test_it_replays_identically(self):
        def scripted() -> str:
            simulation = fresh(jobs(rps=400, job_ratio=0.5, worker_nodes=2), seed=7)
            out = [simulation.step(0.5) for _ in range(2)]
            simulation.act({"action": "kill", "target": "worker2"})
            out += [simulation.step(0.5) for _ in range(2)]
            simulation.act({"action": "revive", "target": "worker2"})
            return str(out + [simulation.step(0.5) for _ in range(2)])

        assert scripted() == scripted()


class TestValidation:
    def test_a_worker_needs_a_queue(self):
        doc = jobs()
        doc["edges"] = doc["edges"][:2]
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems == [
            {"path": "worker1", "message": "Worker 'worker1' takes jobs from no queue: connect a message queue to it."}
        ]
