"""The catalog's requirements (engine.catalog.actions.REQUIREMENTS) evaluated on a running
simulation: which nodes meet each one now. Simulation.met sends it in every frame, so the page
offers an action only where the engine would apply it."""

from engine.catalog.actions import ACTIONS, REQUIREMENTS
from engine.catalog.kinds import KINDS


def kinds_of(requirement: str) -> set[str]:
    """The kinds of node the actions that require it apply to (no targets: every kind but users)."""
    kinds: set[str] = set()
    for action in ACTIONS.values():
        if requirement in action.requires:
            kinds |= set(action.targets or (kind for kind in KINDS if kind != "users"))
    return kinds


# Whether node `node` of the simulation meets the requirement now.
CHECKS = {
    "takes_writes": lambda simulation, node: simulation.backups.takes_writes(node),
    "spare_shard": lambda simulation, node: simulation.sharding.is_spare(node),
    "backed_up": lambda simulation, node: simulation.backups.backed_up(node),
    "pooled": lambda simulation, node: len(simulation.in_service(node)) > 1,
}
KINDS_OF = {requirement: kinds_of(requirement) for requirement in REQUIREMENTS}


class Requirements:
    def __init__(self, simulation):
        self.simulation = simulation
        # Each node an action may require something of, with what it may be required to be.
        wanted = [[name for name in REQUIREMENTS if kind in KINDS_OF[name]] for kind in simulation.topology.kinds]
        self.candidates = [(node, names) for node, names in enumerate(wanted) if names]

    def met(self) -> dict[str, list[str]]:
        """{node id: the requirements it meets now}, for the nodes that meet at least one."""
        simulation, ids = self.simulation, self.simulation.topology.ids
        met = {}
        for node, names in self.candidates:
            meets = [name for name in names if CHECKS[name](simulation, node)]
            if meets:
                met[ids[node]] = meets
        return met
