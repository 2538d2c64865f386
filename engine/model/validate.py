"""Checks a topology document and lists every problem, each with its JSON path and a plain sentence."""

import math
import re

import networkx as nx

from engine.catalog.actions import ACTIONS
from engine.catalog.kinds import ALLOWED_TARGETS, KINDS, Prop
from engine.catalog.traffic import TRAFFIC
from engine.model.datacheck import check_data

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_NODES = 200
MAX_EDGES = 1000
MAX_SCENARIO = 500
MAX_TITLE = 200
MAX_LABEL = 80
MAX_SCENARIO_AT = 86_400.0


class TopologyError(ValueError):
    """A document the engine refuses; `.problems` lists every `{"path", "message"}` found."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(f"{p['path']}: {p['message']}" for p in problems))


class Problems(list):
    def add(self, path: str, message: str) -> None:
        self.append({"path": path, "message": message})


def a_kind(kind: str) -> str:
    """'a web server', 'an object store', 'users': a kind's label as a sentence names one of it."""
    label = KINDS[kind].label.lower()
    if kind == "users":
        return label
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def prop_problem(name: str, prop: Prop, value: object) -> str | None:
    """Why a value does not fit a prop, in a sentence, or None when it fits."""
    if prop.type == "int":
        if not (is_number(value) and float(value).is_integer() and prop.min <= value <= prop.max):
            return f"{name} must be a whole number from {prop.min:g} to {prop.max:g}; got {value!r}."
    elif prop.type == "float":
        if not (is_number(value) and prop.min <= value <= prop.max):
            return f"{name} must be a number from {prop.min:g} to {prop.max:g}; got {value!r}."
    elif prop.type == "choice":
        if value not in prop.choices:
            return f"{name} must be one of {', '.join(prop.choices)}; got {value!r}."
    elif not isinstance(value, str) or len(value) > prop.max_length:
        return f"{name} must be text of at most {prop.max_length} characters."
    return None


def check_props(problems: Problems, path: str, owner: str, table: dict[str, Prop], props: object) -> None:
    if not isinstance(props, dict):
        problems.add(path, f'{owner}: props must be an object such as {{"workers": 4}}.')
        return
    for name, value in props.items():
        if name not in table:
            known = ", ".join(table) or "none"
            problems.add(f"{path}.{name}", f"{owner} has no setting called {name!r}; it has: {known}.")
            continue
        why = prop_problem(name, table[name], value)
        if why:
            problems.add(f"{path}.{name}", f"{owner}: {why}")


def check_props_values(table: dict[str, Prop], props: dict, owner: str, path: str) -> list[dict]:
    """Problems of a partial change of props, as `Simulation.set` receives it."""
    problems = Problems()
    check_props(problems, path, owner, table, props)
    return problems


def check_top(problems: Problems, doc: dict) -> None:
    if doc.get("version") != 1:
        problems.add("version", f'The document must say "version": 1; got {doc.get("version")!r}.')
    title = doc.get("title", "")
    if not isinstance(title, str) or len(title) > MAX_TITLE:
        problems.add("title", f"The title must be text of at most {MAX_TITLE} characters.")
    traffic = doc.get("traffic", {})
    if not isinstance(traffic, dict):
        problems.add("traffic", 'traffic must be an object such as {"rps": 100}.')
    else:
        for name, value in traffic.items():
            if name not in TRAFFIC:
                problems.add(
                    f"traffic.{name}",
                    f"Traffic has no setting called {name!r}; it has: {', '.join(TRAFFIC)}.",
                )
                continue
            why = prop_problem(name, TRAFFIC[name], value)
            if why:
                problems.add(f"traffic.{name}", f"Traffic: {why}")
        problems.extend(ratio_problems(traffic))


def ratio_problems(traffic: dict) -> list[dict]:
    """Jobs, static files and logins are shares of one whole: together at most 1."""
    shares = [traffic.get(name, TRAFFIC[name].default) for name in ("job_ratio", "static_ratio", "login_ratio")]
    if all(is_number(share) for share in shares) and sum(shares) > 1 + 1e-9:
        return [{"path": "traffic", "message": (
            f"job_ratio, static_ratio and login_ratio are shares of all requests; together they make "
            f"{sum(shares):g}, more than 1."
        )}]  # fmt: skip
    return []


def check_node(problems: Problems, index: int, node: object, seen: dict[str, str]) -> None:
    path = f"nodes[{index}]"
    if not isinstance(node, dict):
        problems.add(path, "Each node must be an object with an id, a kind and a position.")
        return
    node_id = node.get("id")
    name = f"Node {node_id!r}" if isinstance(node_id, str) else f"Node {index + 1}"
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        problems.add(f"{path}.id", f"{name}: an id is 1 to 40 letters, digits, '-' or '_'.")
    elif node_id in seen:
        problems.add(f"{path}.id", f"Two nodes are called {node_id!r}; every node needs its own id.")
    kind = node.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.add(f"{path}.kind", f"{name}: {kind!r} is not a kind of component; known kinds: {', '.join(KINDS)}.")
    elif not KINDS[kind].simulated:
        problems.add(f"{path}.kind", f"{name}: {KINDS[kind].label} is not simulated yet in this version.")
    else:
        check_props(
            problems,
            f"{path}.props",
            f"{KINDS[kind].label} {node_id!r}",
            KINDS[kind].props,
            node.get("props", {}),
        )
    for axis in ("x", "y"):
        if not is_number(node.get(axis, 0)):
            problems.add(f"{path}.{axis}", f"{name}: {axis} must be a number (its place on the canvas).")
    label = node.get("label", "")
    if not isinstance(label, str) or len(label) > MAX_LABEL:
        problems.add(f"{path}.label", f"{name}: the label must be text of at most {MAX_LABEL} characters.")
    if isinstance(node_id, str) and node_id not in seen:
        seen[node_id] = kind if isinstance(kind, str) else ""


def check_edge(problems: Problems, index: int, edge: object, kinds: dict[str, str], pairs: set) -> None:
    path = f"edges[{index}]"
    if not isinstance(edge, dict):
        problems.add(path, 'Each edge must be an object such as {"from": "lb", "to": "web1"}.')
        return
    source, target = edge.get("from"), edge.get("to")
    ok = True
    for end, node_id in (("from", source), ("to", target)):
        if not isinstance(node_id, str) or node_id not in kinds:
            problems.add(f"{path}.{end}", f"This connection's {end!r} end names {node_id!r}, which is not a node.")
            ok = False
    if not ok:
        return
    if source == target:
        problems.add(path, f"{source!r} is connected to itself; connect it to another node.")
    elif (source, target) in pairs:
        problems.add(path, f"{source!r} is connected to {target!r} twice.")
    elif (
        kinds[source] in ALLOWED_TARGETS
        and kinds[target] in KINDS
        and kinds[target] not in ALLOWED_TARGETS[kinds[source]]
    ):
        allowed = ALLOWED_TARGETS[kinds[source]]
        hint = f"it can send to: {', '.join(KINDS[k].label for k in allowed)}" if allowed else "it sends to nothing"
        problems.add(
            path,
            f"{a_kind(kinds[source]).capitalize()} cannot send requests to {a_kind(kinds[target])} "
            f"({source!r} -> {target!r}); {hint}.",
        )
    pairs.add((source, target))


def check_data_centers(problems: Problems, nodes: list, kinds: dict[str, str]) -> None:
    """A node's `dc` names the data center it sits in."""
    for index, node in enumerate(nodes):
        if not isinstance(node, dict) or node.get("dc") in (None, ""):
            continue
        dc, node_id = node["dc"], node.get("id")
        path = f"nodes[{index}].dc"
        if not isinstance(dc, str) or kinds.get(dc) != "data_center":
            problems.add(path, f"Node {node_id!r} is placed in {dc!r}, which is not a data center.")
        elif node.get("kind") == "data_center":
            problems.add(path, f"Data center {node_id!r} cannot sit inside another data center.")
        elif node.get("kind") == "users":
            problems.add(path, f"Users {node_id!r} are not in a data center; give them a region instead.")


def check_dns(problems: Problems, nodes: list, kinds: dict[str, str], edges: list) -> None:
    """A DNS's hand-set record names one of its entry points; users ask one DNS."""
    for index, node in enumerate(nodes):
        check_record(problems, index, node, edges)
    for node_id, kind in kinds.items():
        if kind == "users":
            asked = [t for s, t in map(edge_ends, edges) if s == node_id and kinds.get(t) == "dns"]
            if len(asked) > 1:
                problems.add(node_id, f"Users {node_id!r} ask {', '.join(asked)}; a group of users asks one DNS.")


def check_record(problems: Problems, index: int, node: object, edges: list) -> None:
    if not isinstance(node, dict) or node.get("kind") != "dns" or not isinstance(node.get("props"), dict):
        return
    record, node_id = node["props"].get("record"), node.get("id")
    entries = {target for source, target in map(edge_ends, edges) if source == node_id}
    if isinstance(record, str) and record and record not in entries:
        problems.add(
            f"nodes[{index}].props.record",
            f"DNS {node_id!r} can only name an entry point it is connected to; {record!r} is not one.",
        )


def check_scenario(problems: Problems, scenario: object, kinds: dict[str, str]) -> None:
    if not isinstance(scenario, list) or len(scenario) > MAX_SCENARIO:
        problems.add("scenario", f"The scenario must be a list of at most {MAX_SCENARIO} steps.")
        return
    for index, step in enumerate(scenario):
        path = f"scenario[{index}]"
        if not isinstance(step, dict):
            problems.add(path, 'Each scenario step must be an object such as {"at": 30, "action": "kill", ...}.')
            continue
        at = step.get("at")
        if not is_number(at) or not 0 <= at <= MAX_SCENARIO_AT:
            problems.add(f"{path}.at", f"'at' is the second the step happens, from 0 to {MAX_SCENARIO_AT:g}.")
        for problem in action_problems(step, kinds):
            problems.add(f"{path}.{problem['path']}", problem["message"])


ACTION_FIELDS = ("at", "action", "target")


def action_problems(action: dict, kinds: dict[str, str]) -> list[dict]:
    """Problems of a live action or scenario step, with paths relative to the action."""
    problems = Problems()
    name = action.get("action")
    if not isinstance(name, str) or name not in ACTIONS:
        problems.add("action", f"{name!r} is not an action; known actions: {', '.join(ACTIONS)}.")
        return problems
    spec = ACTIONS[name]
    target = action.get("target")
    if spec.needs_target:
        if not isinstance(target, str) or target not in kinds:
            problems.add("target", f"{name} needs a target node; {target!r} is not a node.")
        elif kinds[target] == "users":
            problems.add("target", f"Users cannot be the target of {name}; act on the servers they use instead.")
        elif spec.targets and kinds[target] not in spec.targets:
            labels = [KINDS[kind].label.lower() for kind in spec.targets]
            allowed = f"{', '.join(labels[:-1])} or {labels[-1]}" if len(labels) > 1 else labels[0]
            problems.add(
                "target", f"{name} works on a {allowed}; {target!r} is a {KINDS[kinds[target]].label.lower()}."
            )
    if name in ("partition", "heal") and not problems:
        other = action.get("other")
        if not isinstance(other, str) or kinds.get(other) != "data_center":
            problems.add("other", f"{name} cuts or heals the network between two data centers; {other!r} is not one.")
        elif other == target:
            problems.add("other", f"{name} needs two different data centers; both are {target!r}.")
    for field_name, value in action.items():
        if field_name in ACTION_FIELDS:
            continue
        if field_name not in spec.params:
            known = ", ".join(spec.params) or "none"
            problems.add(field_name, f"{name} has no setting called {field_name!r}; it has: {known}.")
            continue
        why = prop_problem(field_name, spec.params[field_name], value)
        if why:
            problems.add(field_name, f"{spec.label}: {why}")
    if "instances" in action and isinstance(target, str) and kinds.get(target) not in (None, "web_server"):
        problems.add("instances", f"Only web servers run several instances; {target!r} is a {kinds[target]}.")
    if spec.at_least_one and not any(param in action for param in spec.params):
        problems.add("action", f"{name} needs at least one of {', '.join(spec.params)}; none was given.")
    return problems


def check_graph(problems: Problems, kinds: dict[str, str], edges: list) -> None:
    if not kinds:
        problems.add("nodes", "The topology has no nodes: start with some users and a web server.")
        return
    users = [node_id for node_id, kind in kinds.items() if kind == "users"]
    if not users:
        problems.add("nodes", "There are no users: add a Users node to send requests.")
    for node_id in users:
        if not any(isinstance(e, dict) and e.get("from") == node_id for e in edges):
            problems.add(
                node_id,
                f"Users {node_id!r} are connected to nothing: connect them to a load balancer or web server.",
            )


# Kinds that pass a request on at once instead of serving it: a circle of them never ends.
ROUTING_KINDS = ("load_balancer", "dns")


def check_routing_cycles(problems: Problems, kinds: dict[str, str], edges: list) -> None:
    """Load balancers that send to each other in a circle would pass a request round forever."""
    graph = nx.DiGraph(
        (source, target)
        for source, target in map(edge_ends, edges)
        if kinds.get(source) in ROUTING_KINDS and kinds.get(target) in ROUTING_KINDS and source != target
    )
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        circle = [source for source, _ in nx.find_cycle(graph.subgraph(component))]
        problems.add(
            circle[0],
            f"Load balancers {' -> '.join(repr(n) for n in [*circle, circle[0]])} send requests to each other "
            "in a circle, so a request could go round forever; remove one of these connections.",
        )


def database_roles(nodes: list) -> dict[str, str]:
    """The role of each database node of a (possibly broken) document."""
    roles = {}
    for node in nodes:
        if isinstance(node, dict) and node.get("kind") == "database" and isinstance(node.get("id"), str):
            props = node.get("props", {})
            roles[node["id"]] = props.get("role", "primary") if isinstance(props, dict) else "primary"
    return roles


def edge_ends(edge: object) -> tuple[str | None, str | None]:
    """An edge's two node ids where they are text, else None: a list or an object never names a node."""
    if not isinstance(edge, dict):
        return None, None
    source, target = edge.get("from"), edge.get("to")
    return (source if isinstance(source, str) else None), (target if isinstance(target, str) else None)


def check_replication(problems: Problems, nodes: list, edges: list) -> None:
    """Database -> database edges are replication: from a primary to its replicas, one primary each."""
    roles = database_roles(nodes)
    primaries: dict[str, list[str]] = {node_id: [] for node_id, role in roles.items() if role == "replica"}
    for index, edge in enumerate(edges):
        if not all(end in roles for end in edge_ends(edge)):
            continue
        source, target = edge["from"], edge["to"]
        if roles[source] != "primary" or roles[target] != "replica":
            problems.add(
                f"edges[{index}]",
                f"A connection between databases is replication, from a primary to a replica; {source!r} is "
                f"a {roles[source]} and {target!r} a {roles[target]}.",
            )
        else:
            primaries[target].append(source)
    for node_id, sources in primaries.items():
        if not sources:
            problems.add(node_id, f"Replica {node_id!r} copies no primary: connect its primary to it.")
        elif len(sources) > 1:
            problems.add(node_id, f"Replica {node_id!r} copies {', '.join(sources)}; a replica has one primary.")


def check_workers(problems: Problems, kinds: dict[str, str], edges: list) -> None:
    """Each worker takes jobs from exactly one message queue."""
    sources: dict[str, list[str]] = {node_id: [] for node_id, kind in kinds.items() if kind == "worker"}
    for edge in edges:
        source, target = edge_ends(edge)
        if target in sources and kinds.get(source) == "message_queue":
            sources[target].append(source)
    for node_id, queues in sources.items():
        if not queues:
            problems.add(node_id, f"Worker {node_id!r} takes jobs from no queue: connect a message queue to it.")
        elif len(queues) > 1:
            problems.add(node_id, f"Worker {node_id!r} takes jobs from {', '.join(queues)}; a worker has one queue.")


def check_session_stores(problems: Problems, nodes: list, kinds: dict[str, str], edges: list) -> None:
    """A web server that keeps sessions in a store needs a session store behind it."""
    stores = {source for source, target in map(edge_ends, edges) if kinds.get(target) == "session_store"}
    for index, node in enumerate(nodes):
        props = node.get("props") if isinstance(node, dict) else None
        stored = isinstance(props, dict) and props.get("sessions") == "store"
        if stored and isinstance(node.get("id"), str) and node.get("id") not in stores:
            problems.add(
                f"nodes[{index}].props.sessions",
                f"Web server {node.get('id')!r} keeps sessions in a store but has none: connect it to a session store.",
            )


def unbalanced_instances(doc: dict, node_id: str, instances: int) -> str | None:
    """Why a web server cannot run that many instances (something other than a load balancer sends
    to it, so nothing would spread requests over them), or None."""
    if instances <= 1:
        return None
    nodes = [n for n in doc.get("nodes", []) if isinstance(n, dict) and isinstance(n.get("id"), str)]
    kinds = {n["id"]: n.get("kind") for n in nodes}
    senders = sorted({source for source, target in map(edge_ends, doc.get("edges", []))
                      if target == node_id and kinds.get(source) not in (None, "load_balancer")})  # fmt: skip
    if not senders:
        return None
    return (
        f"Web server {node_id!r} would run {instances} instances, but {', '.join(senders)} "
        "send to it directly: only a load balancer spreads requests over instances. Put one in front."
    )


def check_node_instances(problems: Problems, index: int, node: object, doc: dict) -> None:
    props = node.get("props") if isinstance(node, dict) else None
    if not (isinstance(props, dict) and node.get("kind") == "web_server"):
        return
    autoscaled = props.get("autoscaling") == "on"
    low, high = props.get("min_instances", 1), props.get("max_instances", 10)
    if autoscaled and is_number(low) and is_number(high) and low > high:
        problems.add(
            f"nodes[{index}].props.min_instances",
            f"Web server {node.get('id')!r}: min_instances ({low:g}) is above max_instances ({high:g}).",
        )
    for name in ("instances", "max_instances") if autoscaled else ("instances",):
        count = props.get(name, 1 if name == "instances" else 10)
        why = unbalanced_instances(doc, node.get("id"), count) if is_number(count) else None
        if why:
            problems.add(f"nodes[{index}].props.{name}", why)
            break


def check_instances(problems: Problems, nodes: list, doc: dict) -> None:
    """Several instances of a web server need a load balancer in front, in the document and in
    scenario steps that scale it."""
    for index, node in enumerate(nodes):
        check_node_instances(problems, index, node, doc)
    scenario = doc.get("scenario", [])
    for index, step in enumerate(scenario if isinstance(scenario, list) else []):
        if (isinstance(step, dict) and step.get("action") == "scale" and isinstance(step.get("target"), str)
                and is_number(step.get("instances"))):  # fmt: skip
            why = unbalanced_instances(doc, step.get("target"), step["instances"])
            if why:
                problems.add(f"scenario[{index}].instances", why)


def problems_of(doc: object) -> list[dict]:
    """Every problem of a document; an empty list means the engine accepts it."""
    problems = Problems()
    if not isinstance(doc, dict):
        problems.add("", "A topology must be a JSON object with version, nodes and edges.")
        return problems
    check_top(problems, doc)
    nodes, edges = doc.get("nodes"), doc.get("edges", [])
    if not isinstance(nodes, list) or len(nodes) > MAX_NODES:
        problems.add("nodes", f"nodes must be a list of at most {MAX_NODES} components.")
        nodes = []
    if not isinstance(edges, list) or len(edges) > MAX_EDGES:
        problems.add("edges", f"edges must be a list of at most {MAX_EDGES} connections.")
        edges = []
    kinds: dict[str, str] = {}
    for index, node in enumerate(nodes):
        check_node(problems, index, node, kinds)
    pairs: set = set()
    for index, edge in enumerate(edges):
        check_edge(problems, index, edge, kinds, pairs)
    check_graph(problems, kinds, edges)
    check_routing_cycles(problems, kinds, edges)
    check_replication(problems, nodes, edges)
    check_workers(problems, kinds, edges)
    check_session_stores(problems, nodes, kinds, edges)
    check_instances(problems, nodes, {**doc, "nodes": nodes, "edges": edges})
    check_data_centers(problems, nodes, kinds)
    check_dns(problems, nodes, kinds, edges)
    check_scenario(problems, doc.get("scenario", []), kinds)
    check_data(problems, nodes, kinds, edges, doc.get("scenario", []))
    return problems
