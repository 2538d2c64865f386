"""Charts of throughput, error rate and latency over simulated time, drawn with uPlot."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser

CHARTS = ["throughput", "errors", "latency"]


def test_it_draws_points_on_every_chart_while_the_simulation_runs(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    for name in CHARTS:
        expect(page.locator(f'.chart[data-chart="{name}"] canvas')).to_have_count(1)
    page.select_option("#speed", "10")
    page.click("#play")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every((chart) => Number(chart.dataset.points) >= 5)",
        timeout=20_000,
    )
    # The throughput line is drawn: the plot holds pixels of the series colour.
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('.chart[data-chart="throughput"] canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4) {
                if (Math.abs(data[i] - 105) < 20 && Math.abs(data[i + 1] - 101) < 20 && data[i + 2] > 190) return true;
            }
            return false;
        }"""
    )
    expect(page.locator('.chart[data-chart="latency"] .u-legend')).to_contain_text("p99")
    assert page.console_errors == []


def test_it_serves_uplot_from_the_npm_package(page: Page, server_url: str):
    response = page.request.get(server_url + "/static/vendor/uplot/uPlot.esm.js")
    assert response.ok
    assert "uPlot" in response.text()
