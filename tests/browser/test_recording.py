"""Recording a run for a chat or a slide: the next seconds of the simulation, as WebM video or as
an animated GIF, with the run's numbers in a strip under the drawing."""

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser


def record(page: Page, fmt: str, seconds: str, path):
    page.locator("#speed").select_option("2")
    page.get_by_role("button", name="Record the run as a video or an animated GIF").click()
    dialog = page.locator("#record-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#record-format").select_option(fmt)
    dialog.locator("#record-seconds").select_option(seconds)
    with page.expect_download(timeout=60_000) as download:
        dialog.get_by_role("button", name="Start recording").click()
        # It plays the simulation and says how far it has got while it records.
        expect(page.locator("#record")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    download.value.save_as(path)
    expect(page.locator("#record")).to_have_attribute("aria-pressed", "false")
    return download.value.suggested_filename


def test_it_records_the_next_seconds_as_a_webm_video(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    assert record(page, "webm", "5", tmp_path / "run.webm") == "small-site.webm"
    data = (tmp_path / "run.webm").read_bytes()
    assert data[:4] == b"\x1a\x45\xdf\xa3"  # the EBML header of a Matroska/WebM file
    assert len(data) > 5_000
    assert page.console_errors == []


def test_it_records_an_animated_gif_with_the_numbers_under_the_drawing(page: Page, server_url: str, tmp_path):
    open_editor(page, server_url, SITE)
    assert record(page, "gif", "5", tmp_path / "run.gif") == "small-site.gif"
    gif = Image.open(tmp_path / "run.gif")
    assert gif.format == "GIF"
    assert gif.n_frames >= 10  # 5 simulated seconds at 2x: about 2.5 s at 10 frames a second
    assert gif.width <= 800
    # The strip under the drawing: dark, with light text in it.
    gif.seek(gif.n_frames - 1)
    frame = gif.convert("RGB")
    SCREENSHOTS.mkdir(exist_ok=True)
    frame.save(SCREENSHOTS / "recording-last-gif-frame.png")
    strip = frame.crop((0, frame.height - 20, frame.width, frame.height - 4))
    colours = {colour for _, colour in strip.getcolors(maxcolors=1 << 16)}
    assert any(sum(colour) < 150 for colour in colours) and any(sum(colour) > 600 for colour in colours)
    assert page.console_errors == []
