"""Every kind of the catalog has its own icon and colour, and the palette offers exactly the kinds
the engine simulates, in catalog order: a kind appears as soon as the engine marks it simulated."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import engine
from tests.browser.helpers import open_editor

pytestmark = pytest.mark.browser

ICONS = Path(__file__).resolve().parents[2] / "static" / "js" / "canvas" / "icons.js"
SPEC_KINDS = {"users", "dns", "load_balancer", "web_server", "cache", "database", "cdn", "object_store",
              "session_store", "message_queue", "worker", "data_center", "backup"}  # fmt: skip


def table(name: str) -> set[str]:
    source = ICONS.read_text(encoding="utf-8")
    body = source.split(f"const {name} = {{", 1)[1].split("\n};", 1)[0]
    return set(re.findall(r"^  (\w+):", body, re.MULTILINE))


def test_every_kind_has_an_icon_and_a_colour():
    kinds = SPEC_KINDS | set(engine.catalog_json()["kinds"])
    assert kinds - table("PATHS") == set()
    assert kinds - table("COLORS") == set()


def test_the_palette_offers_the_simulated_kinds_each_with_its_own_icon(page: Page, server_url: str):
    open_editor(page, server_url)
    simulated = [kind for kind, spec in engine.catalog_json()["kinds"].items() if spec["simulated"]]
    entries = page.locator(".palette-item")
    expect(entries).to_have_count(len(simulated))
    assert entries.evaluate_all("(items) => items.map((item) => item.dataset.kind)") == simulated
    paths = entries.evaluate_all("(items) => items.map((item) => item.querySelector('svg path').getAttribute('d'))")
    assert len(set(paths)) == len(simulated)
