"""History, restore, description, the gallery and link previews, as the person who owns a topology
and as someone who only has its view link."""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser


def save_new(page: Page) -> str:
    """Save the page's new topology; return its slug."""
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#share-dialog")).to_be_visible()
    page.locator("#share-dialog [data-close]").last.click()
    page.wait_for_url(re.compile(r"/t/[^/]+/#edit="))
    return page.url.split("/t/")[1].split("/")[0]


def open_history(page: Page):
    page.get_by_role("button", name="History").click()
    dialog = page.locator("#history-dialog")
    expect(dialog).to_be_visible()
    return dialog


def test_it_keeps_every_save_and_restores_an_old_version_as_a_new_one(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    slug = save_new(page)
    page.locator("#title").fill("Small site, renamed")
    history = open_history(page)
    history.locator("#save-note").fill("Renamed the site")
    history.get_by_role("button", name="Save", exact=True).click()
    expect(history.locator(".revision")).to_have_count(2)
    expect(history.locator('.revision[data-version="2"]')).to_contain_text("Renamed the site")
    expect(history.locator('.revision[data-version="1"]')).to_contain_text("Created")
    expect(page.locator("#save-state")).to_contain_text("v2")
    screenshot(page, "history-dialog")

    history.locator('.revision[data-version="1"]').get_by_role("link", name="View").click()
    page.wait_for_url(f"**/t/{slug}/?revision=1")
    expect(page.locator("#revision-banner")).to_contain_text("version 1 of 2")
    expect(page.locator("#title")).to_have_value("Small site")
    expect(page.locator("#palette")).to_be_hidden()
    page.get_by_role("button", name="Restore version 1").click()

    page.wait_for_url(f"**/t/{slug}/")
    expect(page.locator("#title")).to_have_value("Small site")
    expect(page.locator("#save-state")).to_contain_text("v3")
    history = open_history(page)
    expect(history.locator(".revision")).to_have_count(3)
    expect(history.locator('.revision[data-version="3"]')).to_contain_text("Restored version 1")
    assert page.console_errors == []


def test_it_publishes_to_the_gallery_with_a_description_and_a_link_preview(
    page: Page, browser: Browser, server_url: str
):
    open_editor(page, server_url, SITE)
    slug = save_new(page)
    page.get_by_role("button", name="Share").click()
    page.locator("#description").fill("Two web servers behind a load balancer, one database.")
    page.locator("#published").check()
    page.get_by_role("button", name="Save description and listing").click()
    expect(page.locator("#save-state")).to_contain_text("v2")

    gallery = page.request.get(server_url + "/api/gallery/").json()["topologies"]
    listed = next(item for item in gallery if item["slug"] == slug)
    assert listed["description"] == "Two web servers behind a load balancer, one database."

    viewer_context = browser.new_context()
    viewer = viewer_context.new_page()
    viewer.goto(server_url + "/")
    entry = viewer.locator("#gallery-list a", has_text="Two web servers behind a load balancer, one database.")
    expect(entry).to_contain_text("Small site")
    entry.click()
    viewer.wait_for_url(f"**/t/{slug}/")
    expect(viewer.locator('meta[property="og:title"]')).to_have_attribute("content", "Small site")
    expect(viewer.locator('meta[property="og:description"]')).to_have_attribute(
        "content", "Two web servers behind a load balancer, one database."
    )
    image = viewer.locator('meta[property="og:image"]').get_attribute("content")
    assert image == f"{server_url}/t/{slug}/preview.png"
    preview = viewer.request.get(image)
    assert preview.ok and preview.headers["content-type"] == "image/png"

    # With the view link only: history can be read, nothing can be restored or saved.
    viewer.get_by_role("button", name="History").click()
    expect(viewer.locator("#history-dialog .revision")).to_have_count(2)
    expect(viewer.locator("#save-note-form")).to_be_hidden()
    expect(viewer.locator("#history-dialog").get_by_role("button", name="Restore")).to_have_count(0)
    viewer.goto(f"{server_url}/t/{slug}/?revision=1")
    expect(viewer.locator("#revision-banner")).to_be_visible()
    expect(viewer.locator("#revision-restore")).to_be_hidden()
    viewer_context.close()


def test_it_never_loses_an_edit_when_two_editors_save_from_the_same_version(
    page: Page, browser: Browser, server_url: str
):
    open_editor(page, server_url, SITE)
    slug = save_new(page)
    other_context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = other_context.new_page()
    other.goto(page.url)  # the edit link, with its token in the fragment
    expect(other.locator("#save")).to_be_visible()

    other.locator("#title").fill("Their title")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.locator("#save-state")).to_contain_text("v2")

    page.locator("#title").fill("My title")
    page.get_by_role("button", name="Save", exact=True).click()
    conflict = page.locator("#conflict-dialog")
    expect(conflict).to_contain_text("Someone saved version 2 after the version 1 you started from")
    screenshot(page, "conflict-dialog")
    conflict.get_by_role("button", name="Reload theirs (discard mine)").click()
    expect(page.locator("#title")).to_have_value("Their title")
    expect(page.locator("#save-state")).to_contain_text("v2")

    other.locator("#title").fill("Their second title")
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.locator("#save-state")).to_contain_text("v3")
    page.locator("#title").fill("Mine, kept as a fork")
    page.get_by_role("button", name="Save", exact=True).click()
    conflict.get_by_role("button", name="Save mine as a fork").click()
    page.wait_for_url(re.compile(r"/t/(?!" + slug + r")[^/]+/#edit="))
    expect(page.locator("#title")).to_have_value("Mine, kept as a fork")
    expect(page.locator("#forked-from")).to_have_attribute("href", f"/t/{slug}/")
    original = page.request.get(f"{server_url}/api/topologies/{slug}/").json()
    assert (original["version"], original["title"]) == (3, "Their second title")
    other_context.close()


def test_a_long_history_comes_in_pages(page: Page, server_url: str):
    page.goto(server_url + "/")
    csrf = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf}
    created = page.request.post(server_url + "/api/topologies/", data=json.dumps({"document": SITE}),
                                headers=headers).json()  # fmt: skip
    slug, token = created["slug"], created["edit_token"]
    for version in range(1, 55):
        body = {"document": SITE, "version": version, "message": f"note {version + 1}"}
        saved = page.request.put(f"{server_url}/api/topologies/{slug}/", data=json.dumps(body),
                                 headers={**headers, "X-Edit-Token": token})  # fmt: skip
        assert saved.ok, saved.text()
    page.goto(f"{server_url}/t/{slug}/#edit={token}")
    history = open_history(page)
    expect(history.locator(".revision")).to_have_count(50)
    expect(history.locator('.revision[data-version="55"]')).to_contain_text("note 55")
    history.get_by_role("button", name="Show older versions").click()
    expect(history.locator(".revision")).to_have_count(55)
    expect(history.locator('.revision[data-version="1"]')).to_contain_text("Created")
    expect(history.get_by_role("button", name="Show older versions")).to_have_count(0)
    assert page.console_errors == []
