"""Replications' statistics: each figure of N runs on N seeds given as a mean with a 95% confidence
interval (engine.simulation.runs.replicate makes the runs).

One run's figure is one sample; runs on different seeds are independent, so the N figures give a
Student t interval: mean +- t(0.975, N - 1) * s / sqrt(N) (s the sample standard deviation). It
covers the true mean of the figure 95% of the time when the runs are long enough for their
figures to be near normal.
"""

import math
import statistics

# Two-sided 95% quantiles of Student's t for 1 to 30 degrees of freedom.
T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
Z_975 = 1.959964
MAX_REPLICATIONS = 1000


def t_quantile(freedom: int) -> float:
    """t(0.975, freedom): from the table, then the Cornish-Fisher expansion to 1 / freedom^2
    (Abramowitz and Stegun 26.7.5; within 0.001 above 30)."""
    if freedom <= len(T_975):
        return T_975[freedom - 1]
    z = Z_975
    return z + (z**3 + z) / (4 * freedom) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * freedom**2)


def interval(values: list[float]) -> dict:
    """Mean and 95% confidence bounds; with one value there are no bounds."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return {"mean": mean, "low": None, "high": None}
    half = t_quantile(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return {"mean": mean, "low": mean - half, "high": mean + half}


def summarize(figures: list) -> object:
    """The reports' shape with every number replaced by its interval (None where no run has one)."""
    first = figures[0]
    if isinstance(first, dict):
        return {name: summarize([figure[name] for figure in figures]) for name in first}
    numbers = [float(f) for f in figures if isinstance(f, (int, float)) and not isinstance(f, bool)]
    if numbers:
        return interval(numbers)
    return None if first is None else first
