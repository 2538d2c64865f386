"""The catalog as JSON (docs/protocol.md, Catalog): what the page and the API are sent."""

from engine.catalog.actions import ACTIONS, REQUIREMENTS
from engine.catalog.classes import REQUEST_CLASSES
from engine.catalog.kinds import ALLOWED_TARGETS, KINDS
from engine.catalog.outcomes import FAILURE_CAUSES, HOP_OUTCOMES
from engine.catalog.traffic import TRAFFIC
from engine.catalog.world import REGIONS, region_rtt_ms


def catalog_json() -> dict:
    """The catalog of docs/protocol.md: kinds with their props, traffic settings, actions and what
    they require, the request classes the page draws, why requests fail and what happens at a
    hop of a request's story."""
    return {
        "kinds": {
            name: {
                "label": kind.label,
                "simulated": kind.simulated,
                "meaning": kind.meaning,
                "id_prefix": kind.id_prefix,
                "props": {prop_name: {**prop.to_json(), "live": prop.live} for prop_name, prop in kind.props.items()},
                "connects_to": list(ALLOWED_TARGETS[name]) if name in ALLOWED_TARGETS else None,
            }
            for name, kind in KINDS.items()
        },
        "traffic": {name: {**prop.to_json(), "live": prop.live} for name, prop in TRAFFIC.items()},
        "regions": {
            "names": list(REGIONS),
            "rtt_ms": [[region_rtt_ms(a, b) for b in REGIONS] for a in REGIONS],
        },
        "actions": {
            name: {
                "label": action.label,
                "meaning": action.meaning,
                "needs_target": action.needs_target,
                "at_least_one": action.at_least_one,
                "targets": list(action.targets) or None,
                "requires": list(action.requires),
                "params": {param: prop.to_json() for param, prop in action.params.items()},
            }
            for name, action in ACTIONS.items()
        },
        "requirements": {name: {"meaning": rule.meaning} for name, rule in REQUIREMENTS.items()},
        "request_classes": [
            {"name": c.name, "label": c.label, "colour": c.colour, "in_frames": c.in_frames} for c in REQUEST_CLASSES
        ],
        "failure_causes": [{"name": o.name, "label": o.label} for o in FAILURE_CAUSES],
        "hop_outcomes": [{"name": o.name, "label": o.label} for o in HOP_OUTCOMES],
    }
