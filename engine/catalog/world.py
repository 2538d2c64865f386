"""Machine sizes and regions: what a server runs on, and where a node is."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """A machine size for vertical scaling: its cores, how much faster it serves a request than the
    smallest, and what it costs a month (US dollars, about a cloud's on-demand price)."""

    cores: int
    speed: float
    monthly_usd: float


# Each size doubles the cores and the price. Speed follows Amdahl's law with 90% of a request's
# work able to use more cores: 1 / (0.1 + 0.9 / cores). So each doubling buys less (x1.82, x1.69,
# x1.53, x1.36) and no machine, however big, is more than 10 times the smallest: the ceiling of
# vertical scaling, before the biggest size on sale stops it altogether.
PARALLEL_SHARE = 0.9


def amdahl(cores: int) -> float:
    return 1.0 / ((1.0 - PARALLEL_SHARE) + PARALLEL_SHARE / cores)


SIZES: dict[str, Size] = {
    name: Size(cores, amdahl(cores), 20.0 * cores)
    for name, cores in (("small", 1), ("medium", 2), ("large", 4), ("xlarge", 8), ("2xlarge", 16))
}


# Regions a users group or a data center can be in, and the round-trip time between them in
# milliseconds: rough medians of public inter-region pings between cloud regions (Virginia, Oregon,
# Ireland, Frankfurt, Seoul, Singapore, Sao Paulo). Two places in the same region are
# SAME_REGION_RTT_MS apart; two nodes in the same data center, 0.
REGIONS = ("us-east", "us-west", "eu-west", "eu-central", "ap-northeast", "ap-southeast", "sa-east")
SAME_REGION_RTT_MS = 1.0
_RTT_ROWS = {
    "us-east": (65, 75, 90, 180, 220, 115),
    "us-west": (135, 150, 125, 165, 175),
    "eu-west": (25, 230, 175, 180),
    "eu-central": (230, 160, 200),
    "ap-northeast": (70, 290),
    "ap-southeast": (325,),
}


def region_rtt_ms(a: str, b: str) -> float:
    """Round-trip time between two regions, in milliseconds (the table above)."""
    if a == b:
        return SAME_REGION_RTT_MS
    i, j = sorted((REGIONS.index(a), REGIONS.index(b)))
    return float(_RTT_ROWS[REGIONS[i]][j - i - 1])
