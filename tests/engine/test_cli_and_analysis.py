import json
import subprocess
import sys
from pathlib import Path

import engine
from tests.engine.documents import balanced, cached, replicated, sessions, single_server

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


class TestCommandLine:
    def test_run_prints_the_report_as_json(self, tmp_path):
        path = tmp_path / "topology.json"
        path.write_text(json.dumps(balanced()))
        done = cli("run", str(path), "--duration", "20", "--seed", "7", "--warmup", "2")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["duration_s"] == 20
        assert report == engine.run(balanced(), 20, seed=7, warmup_s=2)

    def test_check_prints_findings(self, tmp_path):
        path = tmp_path / "topology.json"
        path.write_text(json.dumps(balanced()))
        done = cli("check", str(path))
        assert done.returncode == 0
        assert "single point of failure" in done.stdout

    def test_check_lists_problems_and_fails(self, tmp_path):
        doc = balanced()
        doc["nodes"][2]["props"]["workers"] = -1
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(doc))
        done = cli("check", str(path))
        assert done.returncode == 1
        assert "nodes[2].props.workers" in done.stdout

    def test_it_explains_an_unreadable_file(self, tmp_path):
        path = tmp_path / "nonsense.json"
        path.write_text("{not json")
        done = cli("check", str(path))
        assert done.returncode == 2
        assert "Cannot read" in done.stderr


class TestAnalyze:
    def findings(self, doc: dict) -> set[tuple[str, str | None]]:
        return {(finding.kind, finding.node) for finding in engine.analyze(engine.load(doc))}

    def test_it_finds_the_single_points_of_failure(self):
        found = self.findings(balanced())
        assert ("single_point_of_failure", "lb") in found
        assert ("single_point_of_failure", "db") in found
        assert ("single_point_of_failure", "web1") not in found
        assert ("no_replica", "db") in found

    def test_a_lone_server_is_a_single_point_of_failure(self):
        assert ("single_point_of_failure", "web") in self.findings(single_server(10))

    def test_it_finds_unreachable_nodes(self):
        doc = balanced()
        doc["nodes"].append({"id": "web3", "kind": "web_server", "x": 0, "y": 0})
        assert ("unreachable", "web3") in self.findings(doc)

    def test_it_finds_a_cache_with_no_database_behind_it(self):
        doc = cached()
        doc["edges"] = [edge for edge in doc["edges"] if edge["to"] != "db"]
        found = self.findings(doc)
        assert ("cache_without_database", "cache") in found
        assert ("single_point_of_failure", "cache") not in found
        assert ("cache_without_database", "cache") not in self.findings(cached())

    def test_a_primary_with_a_replica_is_no_single_point_of_failure_for_reads(self):
        found = self.findings(replicated())
        assert ("single_point_of_failure", "primary") not in found
        assert ("no_replica", "primary") not in found
        assert ("single_point_of_failure", "web") in found

    def test_a_lone_session_store_is_a_single_point_of_failure_and_the_web_servers_are_not(self):
        found = self.findings(sessions("store"))
        assert ("single_point_of_failure", "store") in found
        assert ("single_point_of_failure", "web1") not in found

    def test_findings_serialise(self):
        finding = engine.analyze(engine.load(balanced()))[0]
        assert set(finding.to_dict()) == {"kind", "node", "message", "template", "params"}


def test_each_finding_carries_its_template_and_params_for_other_languages():
    from engine import messages
    from engine.catalog.kinds import KINDS
    from tests.engine.test_geo import two_regions

    findings = engine.analyze(engine.load(two_regions()))
    assert findings
    labels = {kind.label for kind in KINDS.values()}
    templates = {value for name, value in vars(messages).items() if name.startswith("FINDING_")}
    for found in findings:
        assert found.template in templates
        assert found.message == messages.render(found.template, found.params)
        assert "kind" not in found.params or found.params["kind"] in labels
    spof = next(f for f in findings if f.kind == "single_point_of_failure" and f.node == "dns")
    assert spof.params == {"kind": "DNS", "name": "'dns'"}
    assert spof.message == "DNS 'dns' is a single point of failure: if it dies, no request can be served."
