"""The engine's layers (docs/architecture.md): its imports point one way, from the simulation down
to the catalog, never round in a circle, and never to Django.

Read from the source with `ast`, so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import networkx as nx
import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"
# Lowest first: a module may import from its own layer and those below it, never from one above.
LAYERS = ("catalog", "kernels", "model", "readouts", "simulation")
# Frameworks of the web side: the engine runs without them (python -m engine, the benches).
WEB_SIDE = ("django", "channels", "playground", "daphne", "redis")


def module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, modules: set[str], package: str) -> set[str]:
    """The names this module imports: each `from x import y` counts as x.y when that is a module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules}
    return names


def import_graph(root: Path) -> nx.DiGraph:
    """Modules of the package at `root` and who imports whom, with every outside import as a node too."""
    paths = {module_name(root, path): path for path in root.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(paths)
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for target in imported(ast.parse(path.read_text(), str(path)), set(paths), package):
            if target != name:
                graph.add_edge(name, target)
    return graph


def inside(graph: nx.DiGraph, root: str) -> nx.DiGraph:
    return graph.subgraph(node for node in graph if node == root or node.startswith(root + "."))


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return import_graph(ENGINE)


def test_the_engine_is_in_layered_packages(graph):
    packages = {path.parent.name for path in ENGINE.glob("*/__init__.py")}
    assert packages == set(LAYERS)
    loose = {path.name for path in ENGINE.glob("*.py")}
    assert loose == {"__init__.py", "__main__.py"}


def test_no_import_circle(graph):
    assert list(nx.simple_cycles(inside(graph, "engine"))) == []


def test_imports_point_down_the_layers(graph):
    upward = sorted(
        (source, target)
        for source, target in inside(graph, "engine").edges
        if layer(source) is not None and layer(target) is not None and layer(target) > layer(source)
    )
    assert upward == []


def test_only_the_top_module_imports_the_engine_package_itself(graph):
    """`engine/__init__` imports every layer; a module that imported it back would close a circle
    through it the moment it was not the first thing imported."""
    assert sorted(source for source, target in graph.edges if target == "engine") == ["engine.__main__"]


def test_the_catalog_imports_nothing_else_of_the_engine(graph):
    engine = {t for s, t in graph.edges if s.startswith("engine.catalog") and t.split(".")[0] == "engine"}
    assert {t for t in engine if not t.startswith("engine.catalog")} == set()


def test_nothing_in_the_engine_imports_the_web_side(graph):
    web = sorted((s, t) for s, t in graph.edges if s.startswith("engine") and t.split(".")[0] in WEB_SIDE)
    assert web == []


class TestTheCheckItself:
    """The graph sees what the tests above rely on: relative imports, imports inside functions,
    `from package import module`, and a circle when there is one."""

    def write(self, root: Path, files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = root / "pkg" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root / "pkg"

    def test_a_circle_through_a_function_level_import_is_found(self, tmp_path):
        root = self.write(tmp_path, {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\n",
            "b.py": "def thing():\n    from pkg import a\n    return a\n",
        })  # fmt: skip
        assert sorted(map(sorted, nx.simple_cycles(import_graph(root)))) == [["pkg.a", "pkg.b"]]

    def test_relative_imports_are_resolved(self, tmp_path):
        root = self.write(tmp_path, {"__init__.py": "", "sub/__init__.py": "", "sub/x.py": "from . import y\n",
                                     "sub/y.py": "from ..top import z\n", "top.py": "z = 1\n"})  # fmt: skip
        edges = set(import_graph(root).edges)
        assert ("pkg.sub.x", "pkg.sub.y") in edges
        assert ("pkg.sub.y", "pkg.top") in edges

    def test_a_django_import_is_seen(self, tmp_path):
        root = self.write(tmp_path, {"__init__.py": "", "a.py": "def f():\n    import django.conf\n"})
        assert ("pkg.a", "django.conf") in import_graph(root).edges
