"""The kernel's second guard against routing circles: a request that passes MAX_ROUTING_HOPS load
balancers in one go fails there. Validation refuses such circles (test_routing_cycles.py); these
topologies are compiled without it, as a circle that slipped past validation would be.

Each run is a subprocess with a timeout: without the guard, step never returns and holds its thread.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.test_routing_cycles import balancers_in_a_circle

ROOT = Path(__file__).resolve().parents[2]
# Generous (a fresh checkout compiles the kernels first, 1 to 3 minutes on a shared machine), and
# below pytest-timeout's 300 s, so that subprocess.run, not pytest, ends a run that hangs.
TIMEOUT_S = 240

STEP_A_CIRCLE = """
import copy, json, sys
import engine
from engine.model.topology import compile_document

document, seed = json.loads(sys.argv[1]), int(sys.argv[2])
simulation = engine.Simulation(compile_document(copy.deepcopy(document)), seed=seed)
frames = [simulation.step(0.5) for _ in range(2)]
print(json.dumps([{"totals": f["totals"], "errors": {n: g["errors_rps"] for n, g in f["nodes"].items()}}
                  for f in frames]))
"""


def step_without_validation(document: dict, seed: int) -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-c", STEP_A_CIRCLE, json.dumps(document), str(seed)],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S, check=True,
    )  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])


class TestHopLimit:
    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_it_fails_requests_that_go_round_a_circle_of_balancers(self, seed):
        for frame in step_without_validation(balancers_in_a_circle(exit_to_a_server=False), seed):
            totals = frame["totals"]
            assert totals["offered_rps"] > 100
            assert totals["errors_rps"] == totals["offered_rps"] and totals["rps"] == 0
            assert frame["errors"]["a"] + frame["errors"]["b"] == totals["errors_rps"]

    @pytest.mark.parametrize("seed", [0, 1, 2])
    def test_requests_that_find_the_way_out_of_a_circle_are_served(self, seed):
        for frame in step_without_validation(balancers_in_a_circle(exit_to_a_server=True), seed):
            totals = frame["totals"]
            assert totals["rps"] > 0 and totals["errors_rps"] == 0
