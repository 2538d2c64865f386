"""The validator's checks of the data tier: shard groups, backups, and the data actions of a scenario.

Called by engine.model.validate.problems_of on documents that may be broken anywhere: every check
reads only the nodes, props and edges that have the right shape and leaves the rest to the
other checks.
"""

from engine.catalog.kinds import KINDS
from engine.model.structure import shard_group_members

MAX_SHARDS = 32
# Settings one shard group shares: its shards split one set of data with one placement.
GROUP_SETTINGS = ("sharding", "vnodes", "denormalized", "model", "twopc_ms")


def database_props(nodes: list) -> dict[str, dict]:
    """Each database's props with the catalog's defaults, by id."""
    table = KINDS["database"].props
    found = {}
    for node in nodes:
        if isinstance(node, dict) and node.get("kind") == "database" and isinstance(node.get("id"), str):
            props = node.get("props", {})
            props = props if isinstance(props, dict) else {}
            found[node["id"]] = {name: props.get(name, prop.default) for name, prop in table.items()}
    return found


def ends(edges: list) -> list[tuple[str, str]]:
    pairs = []
    for edge in edges:
        if isinstance(edge, dict) and isinstance(edge.get("from"), str) and isinstance(edge.get("to"), str):
            pairs.append((edge["from"], edge["to"]))
    return pairs


def check_groups(problems, databases: dict[str, dict], groups: dict[str, list[str]]) -> None:
    for node_id, props in databases.items():
        if props["role"] == "replica" and isinstance(props["shard_group"], str) and props["shard_group"]:
            problems.add(
                f"{node_id}.shard_group",
                f"Replica {node_id!r} names shard group {props['shard_group']!r}: give the shard group to its "
                "primary only; a replica copies its primary's shard.",
            )
    for name, members in groups.items():
        first = databases[members[0]]
        for other in members[1:]:
            for setting in GROUP_SETTINGS:
                if databases[other][setting] != first[setting]:
                    problems.add(
                        f"{other}.{setting}",
                        f"Shards of group {name!r} split one set of data the same way: {other!r} has {setting} "
                        f"{databases[other][setting]!r} but {members[0]!r} has {first[setting]!r}.",
                    )
        if not any(databases[m]["shard_state"] == "active" for m in members):
            problems.add(members[0], f"Shard group {name!r} has no active shard to hold its data.")
        if len(members) > MAX_SHARDS:
            problems.add(members[0], f"Shard group {name!r} has {len(members)} shards; at most {MAX_SHARDS}.")


def check_web_servers(problems, kinds: dict[str, str], databases: dict[str, dict], groups: dict[str, list[str]],
                      pairs: list[tuple[str, str]]) -> None:  # fmt: skip
    """A web server in front of a shard group reaches every shard of it, and no other database."""
    group_of = {m: name for name, members in groups.items() for m in members}
    for source, target in pairs:
        # A replica belongs to its primary's group.
        if source in group_of and target in databases and databases[target]["role"] == "replica":
            group_of.setdefault(target, group_of[source])
    for web in (n for n, kind in kinds.items() if kind == "web_server"):
        behind = [t for s, t in pairs if s == web and t in databases]
        names = sorted({group_of[t] for t in behind if t in group_of})
        if not names:
            continue
        if len(names) > 1:
            problems.add(web, f"Web server {web!r} reaches shard groups {', '.join(names)}; a web server uses one.")
            continue
        others = [t for t in behind if t not in group_of]
        if others:
            problems.add(
                web,
                f"Web server {web!r} uses shard group {names[0]!r}, so every database behind it must be one of its "
                f"shards or their replicas; {', '.join(others)} is not.",
            )
        missing = [m for m in groups[names[0]] if m not in behind]
        if missing:
            problems.add(
                web,
                f"Web server {web!r} must reach every shard of {names[0]!r} to find each key's shard; connect "
                f"it to {', '.join(missing)}.",
            )


def check_backups(problems, kinds: dict[str, str], pairs: list[tuple[str, str]]) -> None:
    for backup in (n for n, kind in kinds.items() if kind == "backup"):
        sources = [s for s, t in pairs if t == backup and kinds.get(s) == "database"]
        if not sources:
            problems.add(backup, f"Backup {backup!r} backs up nothing: connect a database to it.")
        elif len(sources) > 1:
            problems.add(backup, f"Backup {backup!r} backs up {', '.join(sources)}; a backup keeps one database.")


def data_set(node_id: str, databases: dict[str, dict], pairs: list[tuple[str, str]]) -> set[str]:
    """The databases holding the same data as node_id: its primary and that primary's replicas."""
    primary = next((s for s, t in pairs if t == node_id and s in databases), node_id)
    return {primary} | {t for s, t in pairs if s == primary and t in databases}


def check_data_actions(problems, scenario: object, kinds: dict[str, str], databases: dict[str, dict],
                       pairs: list[tuple[str, str]]) -> None:  # fmt: skip
    if not isinstance(scenario, list):
        return
    added: set[str] = set()
    for index, step in enumerate(scenario):
        if not isinstance(step, dict) or not isinstance(step.get("target"), str):
            continue
        action, target, path = step.get("action"), step["target"], f"scenario[{index}].target"
        if target not in databases:
            continue
        props = databases[target]
        if action == "add_shard":
            if not (isinstance(props["shard_group"], str) and props["shard_group"]) or props["shard_state"] != "spare":
                problems.add(
                    path, f"add_shard needs a spare shard: give {target!r} a shard_group and shard_state spare."
                )
            elif target in added:
                problems.add(path, f"{target!r} is added as a shard twice; once it has joined, it stays.")
            added.add(target)
        elif action == "bad_write" and props["role"] == "replica":
            problems.add(path, f"{target!r} is a replica, which takes no writes: send the bad write to its primary.")
        elif action == "restore":
            members = data_set(target, databases, pairs)
            if not any(kinds.get(t) == "backup" for s, t in pairs if s in members):
                problems.add(path, f"{target!r} has no backup to restore from: connect it to a backup node.")


def check_data(problems, nodes: list, kinds: dict[str, str], edges: list, scenario: object) -> None:
    databases = database_props(nodes)
    pairs = ends(edges)
    groups = shard_group_members(databases.items())
    check_groups(problems, databases, groups)
    check_web_servers(problems, kinds, databases, groups, pairs)
    check_backups(problems, kinds, pairs)
    check_data_actions(problems, scenario, kinds, databases, pairs)
