"""A change of props while a simulation runs (Simulation.set): checked once, against the catalog
and the few rules across props a live prop can break, then applied to the compiled topology
without validating and compiling the whole document again.

What a live prop can break besides its own range: the traffic's shares (job, static and login
ratios together), a web server's instances (a load balancer in front, min_instances below
max_instances), a DNS's record (one of its entry points), and the memory limit (workers, queue
limits, clients). Every other rule of engine.model.validate reads props no running simulation
changes (Prop.live).
"""

import dataclasses

from engine.catalog.kinds import KINDS, Prop
from engine.catalog.traffic import TRAFFIC
from engine.model.patch import patch_document
from engine.model.topology import Topology, memory_problems, with_defaults
from engine.model.validate import (
    Problems,
    TopologyError,
    check_node_instances,
    check_props_values,
    check_record,
    ratio_problems,
)


def not_live(table: dict[str, Prop], props: dict, path: str) -> list[dict]:
    return [{"path": f"{path}.{name}", "message": f"{name} cannot change while running."}
            for name in props if name in table and not table[name].live]  # fmt: skip


def change_problems(topology: Topology, target: str, props: dict, document: dict) -> list[dict]:
    """What is wrong with setting `props` on `target` (a node's id, or "traffic"); `document` is the
    document with them set."""
    if target == "traffic":
        problems = check_props_values(TRAFFIC, props, "Traffic", "traffic") + not_live(TRAFFIC, props, "traffic")
        return problems or ratio_problems(document.get("traffic", {}))
    index = topology.index(target)
    kind = KINDS[topology.kinds[index]]
    problems = check_props_values(kind.props, props, f"{kind.label} {target!r}", target)
    problems += not_live(kind.props, props, target)
    if problems:
        return problems
    across = Problems()
    node = document["nodes"][index]
    check_node_instances(across, index, node, document)
    check_record(across, index, node, document.get("edges", []))
    return across


def changed(topology: Topology, target: str, props: dict) -> Topology:
    """The topology with `props` set on `target`; TopologyError lists what is wrong with the change."""
    document = patch_document(topology.document, target, props)
    problems = change_problems(topology, target, props, document)
    if problems:
        raise TopologyError(problems)
    if target == "traffic":
        result = dataclasses.replace(topology, document=document, traffic=with_defaults(TRAFFIC, document["traffic"]))
    else:
        index = topology.index(target)
        node_props = with_defaults(KINDS[topology.kinds[index]].props, document["nodes"][index]["props"])
        props_now = topology.props[:index] + (node_props,) + topology.props[index + 1 :]
        result = dataclasses.replace(topology, document=document, props=props_now)
    problems = memory_problems(result)
    if problems:
        raise TopologyError(problems)
    return result
