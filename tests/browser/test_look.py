"""Light and dark themes and presenter mode, remembered across reloads; screenshots of each look."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, canvas_pixels, open_editor, pixel, wait_for_canvas_change

pytestmark = pytest.mark.browser


def brightness(rgba: list[int]) -> float:
    return sum(rgba[:3]) / 3


def test_it_switches_to_the_dark_theme_and_remembers_it(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    assert brightness(pixel(page, 20, 450)) > 200
    theme = page.get_by_role("button", name="Dark theme")
    theme.click()
    expect(theme).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('#canvas');
            const [r, g, b] = canvas.getContext('2d').getImageData(5, canvas.height - 5, 1, 1).data;
            return r + g + b < 150;
        }"""
    )
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => Number(document.querySelector('#node-stats tbody tr') !== null)")
    assert brightness(pixel(page, 20, 450)) < 60
    assert page.console_errors == []


def test_it_enters_presenter_mode_with_thicker_lines_and_remembers_it(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    before = canvas_pixels(page)
    presenter = page.get_by_role("button", name="Presenter mode")
    presenter.click()
    expect(presenter).to_have_attribute("aria-pressed", "true")
    wait_for_canvas_change(page, before)
    font_size = page.evaluate("() => getComputedStyle(document.querySelector('.panel')).zoom")
    assert float(font_size) > 1
    page.reload()
    expect(page.locator("html")).to_have_class("presenter")
    presenter.click()
    expect(page.locator("html")).not_to_have_class("presenter")


def wait_for_transitions(page: Page) -> None:
    """Wait until theme transitions end; the Play button's pulse repeats forever, so it is left out."""
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"""
    )


@pytest.mark.parametrize("locale,language", [("en-US", "en"), ("ko-KR", "ko")])
def test_it_looks_right_in_both_themes(browser: Browser, server_url: str, locale: str, language: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale)
    page = context.new_page()
    open_editor(page, server_url, SITE)
    page.select_option("#speed", "10")
    page.click("#play")
    page.wait_for_function("() => Number(document.querySelector('.chart').dataset.points) >= 8", timeout=20_000)
    page.locator("#canvas").click(position={"x": 460, "y": 160})
    page.locator("#charts").scroll_into_view_if_needed()
    # The notice that unsaved work was restored covers the charts; an alert, if any, stays in view.
    page.get_by_role("status").locator(".toast-close").click()
    screenshot(page, f"editor-{language}-light")
    page.locator("#theme-toggle").click()
    wait_for_transitions(page)
    screenshot(page, f"editor-{language}-dark")
    page.locator("#presenter-toggle").click()
    wait_for_transitions(page)
    screenshot(page, f"editor-{language}-dark-presenter")
    context.close()
