"""Every lesson's narration is backed by the engine: each claim holds when its preset runs.

A claim is one statement the narration makes about the numbers ("with asynchronous replication
some writes are lost"); playground/claims.py runs the preset (or a variant) and compares."""

import pytest

from playground.lessons.claims import Runner, apply_variant, describe, metric
from playground.lessons.files import read_lessons

LESSONS = read_lessons()


# A claim is about the design, not about one lucky run: it must hold on every one of these seeds.
SEEDS = range(20)


# One test per lesson and seed: lesson 15 costs about 40 s of a core per seed (a million requests
# a second), so one test per lesson would pass the per-test timeout.
@pytest.mark.parametrize(
    ("lesson", "seed"),
    [(lesson, seed) for lesson in LESSONS for seed in SEEDS],
    ids=[f"{lesson['slug']}-seed{seed}" for lesson in LESSONS for seed in SEEDS],
)
def test_every_claim_of_the_lesson_holds_on_every_seed(lesson, seed):
    runner = Runner(lesson)
    failed = []
    for claim in lesson["claims"]:
        holds, left, right = runner.check(claim, seed)
        if not holds:
            failed.append(f"seed {seed}: {describe(claim, left, right)}")
    assert failed == []


def test_a_range_is_narrow_enough_to_mean_about():
    """A range of 0.1 to 0.9 would say nothing: a between claim is at most half as wide as its top."""
    for lesson in LESSONS:
        for claim in lesson["claims"]:
            if claim["op"] == "between":
                low, high = claim["value"]
                assert low < high and (high - low) <= 0.5 * abs(high), f"{lesson['slug']} {claim['id']}: too wide"


def test_a_complete_lesson_backs_its_questions_with_claims():
    """A complete lesson answers each question with something the engine measured."""
    for lesson in LESSONS:
        if lesson["status"] != "complete":
            continue
        for step in lesson["steps"]:
            if "question" in step:
                assert step.get("claims"), f"{lesson['slug']}: the answer to {step['question']['en']!r} is not checked"


class TestTheChecker:
    """The checker itself must be able to fail, or the lessons' tests would prove nothing."""

    def lesson(self):
        return next(lesson for lesson in LESSONS if lesson["slug"] == "05-load-balancer")

    def test_a_value_outside_its_bounds_fails(self):
        claim = {
            "id": "half",
            "from": 5,
            "to": 30,
            "metric": "nodes.web1.utilization",
            "op": "between",
            "value": [0.1, 0.3],
        }
        holds, left, bounds = Runner(self.lesson(), [claim]).check(claim)
        assert not holds and left > 0.3 and bounds == (0.1, 0.3)
        assert "expected between 0.1 and 0.3" in describe(claim, left, bounds)

    def test_a_false_claim_fails(self):
        claim = {"id": "no-errors-ever", "from": 31, "to": 35, "metric": "errors", "op": "==", "value": 0}
        holds, left, _ = Runner(self.lesson(), [claim]).check(claim)
        assert not holds and left > 0

    def test_a_variant_changes_the_preset_and_is_compared(self):
        # With instant health checks only the requests web1 held when it died fail.
        claim = {"id": "instant", "from": 31, "to": 35, "metric": "errors", "op": "<",
                 "variant": {"props": {"lb": {"health_check_s": 0}}}, "than": {"times": 0.01}}  # fmt: skip
        holds, left, right = Runner(self.lesson(), [claim]).check(claim)
        assert holds and left < right and right > 1

    def test_overlapping_windows_are_measured_separately(self):
        claims = [
            {"id": "a", "from": 5, "to": 60, "metric": "errors", "op": ">", "value": 0},
            {"id": "b", "from": 36, "to": 60, "metric": "errors", "op": "==", "value": 0},
        ]
        runner = Runner(self.lesson(), claims)
        assert runner.check(claims[0])[0] and runner.check(claims[1])[0]

    def test_variants_and_metrics(self):
        doc = self.lesson()["document"]
        changed = apply_variant(doc, {"props": {"web1": {"workers": 9}}, "traffic": {"rps": 10}, "scenario": []})
        assert changed["nodes"][2]["props"]["workers"] == 9 and changed["traffic"]["rps"] == 10
        assert changed["scenario"] == [] and doc["scenario"] != []
        report = {"errors": 5, "requests": 50, "data": {"lost_writes": 3}}
        assert metric(report, "error_rate") == 0.1 and metric(report, "data.lost_writes") == 3
        with pytest.raises(KeyError):
            metric(report, "data.nothing")
