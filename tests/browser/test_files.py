"""The topology as a .json file (export, import with the server's problems) and the canvas as PNG."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, node_ids, open_editor

pytestmark = pytest.mark.browser


def test_it_exports_the_topology_as_a_json_file(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as JSON").click()
    assert download.value.suggested_filename == "small-site.json"
    path = tmp_path / "out.json"
    download.value.save_as(path)
    exported = json.loads(path.read_text())
    assert exported["nodes"] == SITE["nodes"]
    assert exported["edges"] == SITE["edges"]


def test_it_exports_the_canvas_as_a_png_picture(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as PNG picture").click()
    path = tmp_path / "out.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5000


def test_it_imports_a_json_file_and_undo_brings_the_old_drawing_back(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    other = {**SITE, "title": "Imported", "nodes": SITE["nodes"][:3], "edges": SITE["edges"][:2]}
    path = tmp_path / "imported.json"
    path.write_text(json.dumps(other))
    page.get_by_role("button", name="Import a JSON file")  # the visible control opens this input
    page.set_input_files("#import-file", str(path))
    expect(page.locator("#node-stats tbody tr")).to_have_count(3)
    expect(page.locator("#title")).to_have_value("Imported")
    expect(page.locator("#problems")).to_be_hidden()
    assert node_ids(page) == {"users1", "lb1", "web1"}
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#node-stats tbody tr")).to_have_count(5)


def test_it_lists_the_servers_problems_with_an_imported_file(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    broken = {**SITE, "nodes": [*SITE["nodes"], {"id": "x1", "kind": "toaster", "x": 100, "y": 100, "props": {}}]}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    page.set_input_files("#import-file", str(path))
    problems = page.locator("#problems")
    expect(problems).to_be_visible()
    expect(problems.locator("li")).not_to_have_count(0)
    expect(problems).to_contain_text("toaster")


def test_it_refuses_a_file_that_is_not_json(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    path = tmp_path / "notes.json"
    path.write_text("not json at all")
    page.set_input_files("#import-file", str(path))
    expect(page.locator("#problems")).to_contain_text("notes.json is not a JSON file.")
    assert node_ids(page) == {node["id"] for node in SITE["nodes"]}
