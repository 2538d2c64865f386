"""The Django apps import one way only (docs/architecture.md): an app may use the apps below it,
never one above, so no app needs to know who builds on it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "playground"
# Each app with the apps it may import; ops is the bottom, front the top.
ALLOWED = {
    "ops": set(),
    "topologies": {"ops"},
    "sim": {"ops", "topologies"},
    "classes": {"ops", "topologies", "sim"},
    "lessons": {"ops"},
    "front": {"ops", "topologies", "sim", "classes", "lessons"},
}


def imported(path: Path) -> set[str]:
    """The modules a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "playground":
            names.update(f"playground.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def imported_apps(app: str) -> dict[str, set[str]]:
    """The other playground apps each module of `app` imports."""
    return {str(path.relative_to(ROOT)): {name.split(".")[1] for name in imported(path)
                                          if name.startswith("playground.")} - {app}
            for path in (ROOT / app).rglob("*.py")}  # fmt: skip


class TestLayers:
    def test_every_app_is_known(self):
        apps = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"migrations"}
        assert apps == ALLOWED.keys()

    def test_each_app_imports_only_the_apps_below_it(self):
        wrong = [f"{module} imports playground.{other}" for app, allowed in ALLOWED.items()
                 for module, apps in imported_apps(app).items() for other in sorted(apps - allowed)]  # fmt: skip
        assert wrong == []

    def test_the_django_side_uses_only_the_engine_package_itself(self):
        """The public API is what engine/__init__.py exports (SPEC.md); its modules may move."""
        deep = [f"{path.relative_to(ROOT)}: {name}" for path in ROOT.rglob("*.py") for name in imported(path)
                if name.startswith("engine.")]  # fmt: skip
        assert deep == []
