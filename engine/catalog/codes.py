"""The numbers the kernels read for the catalog's names: a kind or a choice is coded by its place
in the catalog, so a kind or a choice added there has its code at once."""

from engine.catalog.classes import FLOW_CLASSES
from engine.catalog.kinds import ALGORITHMS, DATA_PROPS, DISTRIBUTIONS, KINDS
from engine.catalog.outcomes import CAUSE_NAMES, HOP_OUTCOME_NAMES
from engine.catalog.traffic import TRAFFIC


def codes(names) -> dict[str, int]:
    return {name: code for code, name in enumerate(names)}


KIND_CODES = codes(KINDS)
CLASS_CODES = codes(FLOW_CLASSES)
DIST_CODES = codes(DISTRIBUTIONS)
ALGO_CODES = codes(ALGORITHMS)
SESSION_CODES = codes(KINDS["web_server"].props["sessions"].choices)
# A cache and a CDN edge evict by the same policies.
POLICY_CODES = codes(KINDS["cache"].props["policy"].choices)
ROLE_CODES = codes(KINDS["database"].props["role"].choices)
SHARDING_CODES = codes(DATA_PROPS["sharding"].choices)
PATTERN_CODES = codes(TRAFFIC["pattern"].choices)
CAUSE_CODES = codes(CAUSE_NAMES)
HOP_CODES = codes(HOP_OUTCOME_NAMES)
