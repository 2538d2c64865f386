"""Questions a phone or tablet test asks of an element: on screen, clickable, big enough for a finger."""

from playwright.sync_api import Locator, Page

# Where a finger lands on an element is its centre: the element (or something inside it) must be
# what the page finds there, not a panel or a toast drawn over it.
HIT = """el => {
    const box = el.getBoundingClientRect();
    const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return Boolean(found) && (found === el || el.contains(found));
}"""

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}
MIN_TARGET = 44


def within_viewport(page: Page, locator: Locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        bool(box)
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def reachable(page: Page, locator: Locator) -> bool:
    """Within the viewport and the thing a tap at its centre hits."""
    return within_viewport(page, locator) and locator.evaluate(HIT)


def small_targets(page: Page, selector: str) -> list[str]:
    """The visible buttons under `selector` smaller than a finger, as 'text WxH'."""
    return page.eval_on_selector_all(
        selector,
        f"""els => els.filter(el => el.offsetParent !== null).map(el => [el, el.getBoundingClientRect()])
            .filter(([, box]) => box.width < {MIN_TARGET} - 0.5 || box.height < {MIN_TARGET} - 0.5)
            .map(([el, box]) => `${{(el.getAttribute('aria-label') || el.textContent).trim()}} ${{box.width}}x${{box.height}}`)""",
    )


def overflows_sideways(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
