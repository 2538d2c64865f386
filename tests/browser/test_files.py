"""The topology as a .json file (export, import with the server's problems) and the whole drawing as PNG and SVG."""

import json
from xml.etree import ElementTree

import pytest
from PIL import Image
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


# SITE with one more server far to the right: the canvas shows only part of the drawing.
WIDE = {
    **SITE,
    "nodes": [*SITE["nodes"], {"id": "web9", "kind": "web_server", "x": 2600, "y": 900, "props": {}}],
    "edges": [*SITE["edges"], {"from": "lb1", "to": "web9"}],
}


def export(page: Page, button: str, path):
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    download.value.save_as(path)
    return download.value.suggested_filename


def test_it_exports_the_whole_drawing_as_png_not_only_what_the_canvas_shows(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, WIDE)
    page.get_by_role("button", name="Zoom in").click()
    assert export(page, "Export the whole drawing as a PNG picture", tmp_path / "out.png") == "small-site.png"
    data = (tmp_path / "out.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    picture = Image.open(tmp_path / "out.png").convert("RGB")
    # Twice the drawing's size: from users1's left edge to web9's right edge, and a margin.
    canvas_width = page.evaluate("() => document.querySelector('#canvas').clientWidth")
    assert picture.width > 2 * 2500 > 2 * canvas_width
    # Both far corners are drawn: something other than the background where users1 and web9 are.
    background = picture.getpixel((2, 2))
    assert region_has_ink(picture, (0, 0, picture.width // 10, picture.height), background)
    assert region_has_ink(picture, (picture.width * 9 // 10, 0, picture.width, picture.height), background)
    assert page.console_errors == []


def test_it_exports_the_whole_drawing_as_svg_with_every_node(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, WIDE)
    assert export(page, "Export the whole drawing as an SVG picture", tmp_path / "out.svg") == "small-site.svg"
    svg = ElementTree.parse(tmp_path / "out.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(svg.get("width")) > 2500
    texts = {"".join(element.itertext()) for element in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {node["id"] for node in WIDE["nodes"]} <= texts
    # The icons are vector paths too, one per node.
    icons = [path for path in svg.iter("{http://www.w3.org/2000/svg}path") if path.get("stroke-linecap") == "round"]
    assert len(icons) >= len(WIDE["nodes"])
    assert page.console_errors == []


def region_has_ink(picture, box, background) -> bool:
    crop = picture.crop(box)
    return any(colour != background for _, colour in crop.getcolors(maxcolors=1 << 20))


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
