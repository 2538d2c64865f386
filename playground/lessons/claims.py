"""Check a lesson's claims against the engine: the numbers must show what the narration says.

A claim measures one window [from, to) of simulated time (engine.run with warm-up `from`, so the
scenario keeps its absolute times) of the preset, or of a variant of it, and compares one figure
of the report with a number or with the same window of another run:

    {"id": "async-loses", "from": 40, "to": 60, "metric": "data.lost_writes", "op": ">", "value": 0}
    {"id": "half-busy", "from": 5, "to": 30, "metric": "nodes.web1.utilization", "op": "between",
     "value": [0.44, 0.56]}
    {"id": "lfu-beats-lru", "from": 30, "to": 120, "metric": "nodes.cache.hit_ratio", "op": ">",
     "variant": {"props": {"cache": {"policy": "lfu"}}},
     "than": {"variant": {"props": {"cache": {"policy": "lru"}}}, "times": 1.0}}

A variant changes props of nodes (`props`: {node id: {prop: value}}), the traffic (`traffic`) or
replaces the scenario (`scenario`). Metrics are dotted paths into engine.run's report, plus
`error_rate` (errors over requests).
"""

import copy
import json
import operator

import engine

OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


def apply_variant(document: dict, variant: dict | None) -> dict:
    """The lesson's document with a variant's props, traffic and scenario; a variant that names a
    node the document lacks is a mistake in the lesson, so it raises KeyError (engine.patch_document)."""
    doc = copy.deepcopy(document)
    if not variant:
        return doc
    for target, props in variant.get("props", {}).items():
        doc = engine.patch_document(doc, target, props)
    doc = engine.patch_document(doc, "traffic", variant.get("traffic", {}))
    if "scenario" in variant:
        doc["scenario"] = copy.deepcopy(variant["scenario"])
    return doc


def metric(report: dict, path: str) -> float:
    if path == "error_rate":
        return report["errors"] / report["requests"] if report["requests"] else 0.0
    value = report
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"The report has no {path!r} (no {part!r}).")
        value = value[part]
    if value is None:
        raise ValueError(f"{path!r} is null in this run (nothing was measured).")
    return float(value)


class Runner:
    """Runs each variant and seed as few times as its claims' windows allow.

    Windows that do not overlap are measured in one pass of one simulation (measure from the
    window's start, report at its end, go on), so a lesson costs about one run per variant."""

    def __init__(self, lesson: dict, claims: list[dict] | None = None):
        self.lesson = lesson
        self.claims = lesson.get("claims", []) if claims is None else claims
        self.reports: dict[tuple, dict] = {}

    def windows(self, variant: dict | None) -> list[tuple[float, float]]:
        key = json.dumps(variant, sort_keys=True)
        found = set()
        for claim in self.claims:
            if json.dumps(claim.get("variant"), sort_keys=True) == key:
                found.add((claim["from"], claim["to"]))
            than = claim.get("than")
            if than is not None and json.dumps(than.get("variant"), sort_keys=True) == key:
                found.add((claim["from"], claim["to"]))
        return sorted(found)

    def measure(self, variant: dict | None, seed: int, windows: list[tuple[float, float]]) -> None:
        pending = list(windows)
        document = apply_variant(self.lesson["document"], variant)
        topology = engine.load(document)
        key = json.dumps(variant, sort_keys=True)
        while pending:
            simulation = engine.Simulation(topology, seed)
            later = []
            for start, end in pending:
                if start < simulation.t:
                    later.append((start, end))
                    continue
                advance(simulation, start - simulation.t)
                simulation.measure_from_now()
                advance(simulation, end - start)
                self.reports[(key, start, end, seed)] = simulation.report(end - start)
            pending = later

    def report(self, variant: dict | None, start: float, end: float, seed: int) -> dict:
        key = (json.dumps(variant, sort_keys=True), start, end, seed)
        if key not in self.reports:
            self.measure(variant, seed, self.windows(variant) or [(start, end)])
        if key not in self.reports:
            self.measure(variant, seed, [(start, end)])
        return self.reports[key]

    def check(self, claim: dict, seed: int = 0) -> tuple[bool, float, float | tuple[float, float]]:
        """Whether the claim holds on this seed, with the two sides compared (the bounds, for between)."""
        window = (claim["from"], claim["to"])
        left = metric(self.report(claim.get("variant"), *window, seed), claim["metric"])
        if claim["op"] == "between":
            low, high = (float(bound) for bound in claim["value"])
            return low <= left <= high, left, (low, high)
        than = claim.get("than")
        if than is None:
            right = float(claim["value"])
        else:
            other = self.report(than.get("variant"), *window, seed)
            right = metric(other, than.get("metric", claim["metric"])) * float(than.get("times", 1.0))
        return OPERATORS[claim["op"]](left, right), left, right


def advance(simulation, seconds: float) -> None:
    end = simulation.t + seconds
    while end - simulation.t > 1e-9:
        simulation.step(min(3600.0, end - simulation.t))


def describe(claim: dict, left: float, right: float) -> str:
    """A failing claim in words, for the test's message."""
    where = f"in [{claim['from']}, {claim['to']}) s"
    variant = f" with {json.dumps(claim['variant'])}" if claim.get("variant") else ""
    expected = f"between {right[0]:g} and {right[1]:g}" if claim["op"] == "between" else f"{claim['op']} {right:g}"
    return f"{claim['id']}: {claim['metric']}{variant} {where} was {left:g}, expected {expected}"
