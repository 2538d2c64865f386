"""The page's modules sit in folders by concern whose imports point one way (docs/architecture.md):
a folder imports only the folders below it, and main.js, which only wires, imports them all."""

import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
# Bottom to top: a folder may import itself and the folders before it.
LAYERS = ["core", "document", "canvas", "playback", "monitoring", "editor", "sharing", "lessons", "classes"]
IMPORT = re.compile(r'from "(\.[^"]+)"')


def folder_of(path: Path) -> str:
    return path.relative_to(SCRIPTS).parts[0] if path.parent != SCRIPTS else "main"


def imports() -> list[tuple[Path, Path]]:
    return [
        (script, (script.parent / target).resolve())
        for script in sorted(SCRIPTS.rglob("*.js"))
        for target in IMPORT.findall(script.read_text(encoding="utf-8"))
    ]


def test_it_keeps_every_module_in_a_folder_of_a_layer_and_only_main_at_the_top():
    folders = {folder_of(script) for script in SCRIPTS.rglob("*.js")}
    assert folders == {*LAYERS, "main"}
    assert [script.name for script in SCRIPTS.glob("*.js")] == ["main.js"]


def test_it_imports_only_existing_modules_with_their_js_extension():
    assert [f"{script.name} -> {target}" for script, target in imports() if not target.is_file()] == []


def test_it_points_every_import_down_the_layers():
    upward = [
        f"{script.relative_to(SCRIPTS)} -> {target.relative_to(SCRIPTS)}"
        for script, target in imports()
        if folder_of(script) != "main"
        and folder_of(target) != folder_of(script)
        and (folder_of(target) == "main" or LAYERS.index(folder_of(target)) > LAYERS.index(folder_of(script)))
    ]
    assert upward == []
