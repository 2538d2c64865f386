"""Comparing two runs' reports: the same run sliced into steps differently."""

import pytest


def flat(report: dict, prefix: str = "") -> dict:
    """A report's figures by their path ("nodes.db.completed")."""
    figures = {}
    for name, value in report.items():
        if isinstance(value, dict):
            figures.update(flat(value, f"{prefix}{name}."))
        else:
            figures[prefix + name] = value
    return figures


def assert_same_run(report: dict, other: dict) -> None:
    """Counts, roles and every other exact figure equal; sums of times only up to rounding (steps
    add their slices into the totals in other groupings)."""
    ours, theirs = flat(report), flat(other)
    assert ours.keys() == theirs.keys()
    exact = [name for name, value in ours.items() if not isinstance(value, float)]
    assert {name: ours[name] for name in exact} == {name: theirs[name] for name in exact}
    sums = [name for name, value in ours.items() if isinstance(value, float)]
    assert [ours[name] for name in sums] == pytest.approx([theirs[name] for name in sums], rel=1e-9, abs=1e-12)
