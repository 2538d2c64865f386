"""Regions, data centers, partitions, DNS and CDN answers, decided between kernel calls.

Every node has a region: a users group its `region` prop, a data center its own, a node drawn
in a data center (its `dc` field) the data center's; other nodes have none and are close to
everything (no network time to or from them). Each edge carries the round trip between its two
ends (engine.catalog.region_rtt_ms; 0 inside one data center), which the kernel adds to the
latency of every request crossing it. A DNS's edges carry none: a client talks to the entry point
the DNS names, not through the DNS, so the kernel adds the round trip between the users and that
entry point instead.

What a DNS answers each users group, and which CDN serves its static files, are worked out here
whenever something changes (a kill, a revive, a partition, a live change) and written into the
users' rows (I_ANSWER, I_CDN_ANSWER); the kernel keeps each client's copy of the DNS answer until
the DNS's TTL runs out (engine.kernels._resolve).
"""

import math

import numpy as np

from engine.catalog import messages
from engine.catalog.world import REGIONS, region_rtt_ms
from engine.kernels import layout as k


def node_regions(topology) -> list[str | None]:
    """Each node's region, or None."""
    regions: list[str | None] = []
    for node, kind in enumerate(topology.kinds):
        if kind in ("users", "data_center"):
            regions.append(topology.props[node]["region"])
        elif topology.dcs and topology.dcs[node] is not None:
            regions.append(topology.props[topology.dcs[node]]["region"])
        else:
            regions.append(None)
    return regions


def rtt_s(topology, regions: list[str | None], a: int, b: int) -> float:
    """Round trip between two nodes, in seconds."""
    if regions[a] is None or regions[b] is None:
        return 0.0
    dcs = topology.dcs
    if dcs and dcs[a] is not None and dcs[a] == dcs[b]:
        return 0.0
    return region_rtt_ms(regions[a], regions[b]) / 1000.0


def client_blocks(topology) -> list[tuple[int, int]]:
    """(first client id, clients) of each node: with a DNS, each users group has its own clients, in
    proportion to its share, so that a client's cached answer belongs to one group's region."""
    blocks = [(0, 0)] * len(topology.kinds)
    if "dns" not in topology.kinds:
        return blocks
    clients = topology.traffic["clients"]
    users = [n for n, kind in enumerate(topology.kinds) if kind == "users"]
    total = sum(topology.props[n]["share"] for n in users)
    offset = 0
    for n in users:
        share = topology.props[n]["share"] / total if total > 0 else 1.0 / len(users)
        count = max(1, math.floor(clients * share))
        first = min(offset, clients - 1)
        blocks[n] = (first, max(1, min(count, clients - first)))
        offset += count
    return blocks


class Geo:
    def __init__(self, simulation):
        self.simulation = simulation
        # Pairs of data centers the network between which is cut, as (smaller index, larger index).
        self.cuts: set[tuple[int, int]] = set()
        self.answers: dict[int, int] = {}
        self.setup(announce=False)
        self.settle_dns_caches()

    @property
    def topology(self):
        return self.simulation.topology

    @property
    def state(self):
        return self.simulation.state

    def setup(self, announce: bool) -> None:
        """Write regions, round trips and client blocks into the arrays (at the start and after a
        live change), then the answers."""
        topology, nint, nflt, node_of = self.topology, self.state.nint, self.state.nflt, self.state.row_node
        regions = node_regions(topology)
        # Kernel rows: a web server's instances sit where their node does.
        for row, node in enumerate(node_of):
            region = regions[node]
            nint[row, k.I_REGION] = -1 if region is None else REGIONS.index(region)
            for r, other in enumerate(REGIONS):
                nflt[row, k.F_RTT + r] = 0.0 if region is None else region_rtt_ms(region, other) / 1000.0
        for edge, (source, target) in enumerate(self.state.kedges):
            source, target = node_of[source], node_of[target]
            through_dns = topology.kinds[source] == "dns"
            self.state.eflt[edge, k.EF_RTT] = 0.0 if through_dns else rtt_s(topology, regions, source, target)
        for node, (first, count) in enumerate(client_blocks(topology)):
            nint[node, k.I_CLIENT_OFF], nint[node, k.I_CLIENT_N] = first, count
        for node, kind in enumerate(topology.kinds):
            routed = kind == "users" and any(topology.kinds[m] in ("cdn", "dns") for m in topology.successors(node))
            nint[node, k.I_ROUTED] = int(routed)
        # Clients drawn ahead came from the blocks as they were.
        nint[:, k.I_NEXT_CLIENT] = -1
        self.apply_cuts()
        self.answer(announce)

    def settle_dns_caches(self) -> None:
        """Start clients as if they had been browsing for long: with empty caches they would all
        ask the DNS in the first second and expire together, a TTL later, again and again. A client
        that sends r requests a second holds an answer for ttl, then waits for its next request (on
        average 1/r) to ask again; so in the long run it holds one with probability
        ttl / (ttl + 1/r), taken uniformly within the last ttl seconds."""
        topology, state = self.topology, self.state
        draws = np.random.default_rng([self.simulation.seed, 0x6E0])
        for users, kind in enumerate(topology.kinds):
            first, count = map(int, state.nint[users, [k.I_CLIENT_OFF, k.I_CLIENT_N]])
            answer = self.answers.get(users, -1)
            rate = state.nflt[users, k.F_RATE] / max(1, count)
            if kind != "users" or answer < 0 or count == 0 or rate <= 0:
                continue
            ttl = topology.props[topology.edges[answer][0]]["ttl_s"]
            held = draws.random(count) < ttl / (ttl + 1.0 / rate)
            expires = (draws.random(count) * ttl * 1e6).astype(np.int64)
            block = slice(first, first + count)
            state.sess[block, k.SS_DNS] = np.where(held, answer, -1)
            state.sess[block, k.SS_DNS_UNTIL] = np.where(held, expires, 0)

    # Data centers and partitions

    def members(self, dc: int) -> list[int]:
        return [node for node, where in enumerate(self.topology.dcs) if where == dc]

    def cut(self, a: int, b: int) -> bool:
        """Whether the network between nodes a and b is cut by a partition."""
        dcs = self.topology.dcs
        if dcs[a] is None or dcs[b] is None:
            return False
        return (min(dcs[a], dcs[b]), max(dcs[a], dcs[b])) in self.cuts

    def apply_cuts(self) -> None:
        node_of = self.state.row_node
        for edge, (source, target) in enumerate(self.state.kedges):
            self.state.eint[edge, k.EI_CUT] = int(self.cut(node_of[source], node_of[target]))

    def partition(self, a: int, b: int) -> None:
        self.cuts.add((min(a, b), max(a, b)))
        self.apply_cuts()
        for primary, replica in self.replica_pairs():
            if self.cut(primary, replica):
                self.state.nflt[replica, k.F_CUT_FROM] = self.simulation.t
                self.state.nflt[replica, k.F_CUT_TO] = np.inf
        self.answer(announce=True)

    def heal(self, a: int, b: int) -> bool:
        pair = (min(a, b), max(a, b))
        if pair not in self.cuts:
            return False
        cut_before = {replica for primary, replica in self.replica_pairs() if self.cut(primary, replica)}
        self.cuts.discard(pair)
        self.apply_cuts()
        for primary, replica in self.replica_pairs():
            if replica in cut_before and not self.cut(primary, replica):
                self.state.nflt[replica, k.F_CUT_TO] = self.simulation.t
        self.answer(announce=True)
        return True

    def replica_pairs(self) -> list[tuple[int, int]]:
        """(primary now, replica) for every replica of every replica set."""
        replication = self.simulation.replication
        pairs = []
        for index, members in enumerate(replication.sets):
            primary = replication.primary(index)
            pairs += [(primary, m) for m in members if m != primary]
        return pairs

    # DNS and CDN answers

    def serving(self) -> set[int]:
        """Entry points that can serve: up and, for a load balancer, with something behind it that it
        can reach and that serves (what a health-checked DNS record tests). A fixed point, so chains
        of load balancers cost O(nodes x edges)."""
        topology, up = self.topology, self.state.nint[:, k.I_UP]
        serving = {n for n, kind in enumerate(topology.kinds) if up[n] and kind != "load_balancer"}
        grew = True
        while grew:
            grew = False
            for source, target in topology.edges:
                if (source not in serving and up[source] and topology.kinds[source] == "load_balancer"
                        and target in serving and not self.cut(source, target)):  # fmt: skip
                    serving.add(source)
                    grew = True
        return serving

    def nearest(self, users: int, edges: list[int], serving: set[int]) -> int:
        """Of those edges, the one to the nearest entry point that serves (the nearest of all if none
        serves), ties to the first; -1 for no edges."""
        regions = node_regions(self.topology)
        to = self.topology.edges
        ranked = sorted(edges, key=lambda e: (to[e][1] not in serving, rtt_s(self.topology, regions, users, to[e][1])))
        return ranked[0] if ranked else -1

    def dns_answer(self, users: int, dns: int, edges: list[int], serving: set[int]) -> int:
        props, to = self.topology.props[dns], self.topology.edges
        if not edges:
            return -1
        if props["record"]:
            return next((e for e in edges if self.topology.ids[to[e][1]] == props["record"]), -1)
        if props["routing"] == "geo":
            return self.nearest(users, edges, serving)
        return next((e for e in edges if to[e][1] in serving), edges[0])

    def answer(self, announce: bool) -> None:
        """Work out each users group's DNS answer and CDN; announce DNS answers that changed."""
        topology, nint = self.topology, self.state.nint
        out = {n: [e for e, (s, _) in enumerate(topology.edges) if s == n] for n in range(len(topology.kinds))}
        changed, serving = [], self.serving()
        for users, kind in enumerate(topology.kinds):
            if kind != "users":
                continue
            targets = [topology.edges[e][1] for e in out[users]]
            dns = next((target for target in targets if topology.kinds[target] == "dns"), None)
            cdn_edges = [e for e in out[users] if topology.kinds[topology.edges[e][1]] == "cdn"]
            answer = -1
            if dns is not None:
                entries = [e for e in out[dns] if topology.kinds[topology.edges[e][1]] != "cdn"]
                answer = self.dns_answer(users, dns, entries, serving)
                if not cdn_edges:
                    cdn_edges = [e for e in out[dns] if topology.kinds[topology.edges[e][1]] == "cdn"]
                if announce and self.answers.get(users) != answer and answer >= 0:
                    changed.append((dns, users, answer))
            self.answers[users] = answer
            nint[users, k.I_ANSWER] = answer
            nint[users, k.I_CDN_ANSWER] = self.nearest(users, cdn_edges, serving)
        for dns, users, answer in changed:
            ids = topology.ids
            ttl = topology.props[dns]["ttl_s"]
            self.simulation.announce(
                "dns", ids[dns], messages.DNS_ANSWER,
                dns=ids[dns], users=ids[users], entry=ids[topology.edges[answer][1]], ttl=ttl,
            )  # fmt: skip
