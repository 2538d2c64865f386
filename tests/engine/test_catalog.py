"""The catalog as the one source of the names the engine, the frames and the page share: live
props, id prefixes, request classes, requirements, and the codes the kernels read."""

import re

import engine
from engine.catalog.actions import ACTIONS, REQUIREMENTS
from engine.catalog.classes import FLOW_CLASSES, REQUEST_CLASSES
from engine.catalog.codes import KIND_CODES
from engine.catalog.kinds import KINDS
from engine.catalog.traffic import TRAFFIC
from engine.kernels import layout
from tests.engine.documents import single_server


class TestCatalogJson:
    def test_live_flags_come_from_the_props(self):
        catalog = engine.catalog_json()
        for name, kind in KINDS.items():
            assert {p: spec["live"] for p, spec in catalog["kinds"][name]["props"].items()} == {
                p: prop.live for p, prop in kind.props.items()
            }
        assert {name: spec["live"] for name, spec in catalog["traffic"].items()} == {
            name: prop.live for name, prop in TRAFFIC.items()
        }

    def test_each_kind_names_its_new_nodes_with_its_own_prefix(self):
        kinds = engine.catalog_json()["kinds"]
        prefixes = [kind["id_prefix"] for kind in kinds.values()]
        assert len(set(prefixes)) == len(kinds)
        assert all(re.fullmatch(r"[a-z]+", prefix) for prefix in prefixes)
        assert kinds["load_balancer"]["id_prefix"] == "lb" and kinds["message_queue"]["id_prefix"] == "mq"

    def test_every_requirement_an_action_lists_is_explained(self):
        catalog = engine.catalog_json()
        required = {name for action in catalog["actions"].values() for name in action["requires"]}
        assert required == set(catalog["requirements"]) == set(REQUIREMENTS)
        assert all(spec["meaning"] for spec in catalog["requirements"].values())

    def test_request_classes_have_a_colour_each_and_login_its_own(self):
        classes = engine.catalog_json()["request_classes"]
        names = [c["name"] for c in classes]
        assert len(set(names)) == len(names)
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c["colour"]) for c in classes)
        assert len({c["colour"] for c in classes}) == len(classes)
        assert {"read", "write", "static", "job", "login"} == {c["name"] for c in classes if c["in_frames"]}
        assert {"hit", "miss", "replication", "error", "other"} == {c["name"] for c in classes if not c["in_frames"]}

    def test_the_frames_flow_classes_are_the_catalogs(self):
        simulation = engine.Simulation(engine.load(single_server(100.0)), seed=1)
        edge = simulation.step(0.5)["edges"][0]
        assert list(edge["flows"]) == list(FLOW_CLASSES) == [c.name for c in REQUEST_CLASSES if c.in_frames]


class TestCodes:
    def test_every_kind_has_its_own_kernel_code(self):
        assert set(KIND_CODES) == set(KINDS)
        codes = [layout.K_USERS, layout.K_LB, layout.K_WEB, layout.K_DB, layout.K_CACHE, layout.K_QUEUE,
                 layout.K_WORKER, layout.K_SESSIONS, layout.K_DNS, layout.K_CDN, layout.K_STORE, layout.K_DC,
                 layout.K_BACKUP]  # fmt: skip
        assert sorted(codes) == sorted(KIND_CODES.values())

    def test_choices_are_coded_by_their_place_in_the_catalog(self):
        algorithms = KINDS["load_balancer"].props["algorithm"].choices
        assert algorithms.index("least_connections") == layout.A_LEAST
        assert algorithms.index("weighted") == layout.A_WEIGHTED
        assert TRAFFIC["pattern"].choices.index("diurnal") == layout.PATTERN_DIURNAL
        assert FLOW_CLASSES.index("login") == layout.C_LOGIN and len(FLOW_CLASSES) == layout.N_CLASSES

    def test_every_action_target_kind_exists(self):
        assert {kind for action in ACTIONS.values() for kind in action.targets} <= set(KINDS)
