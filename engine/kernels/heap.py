"""The event heap of departures: a 4-ary min-heap on time, each entry's time and packed event side by side."""

from engine.kernels.jit import jit
from engine.kernels.layout import SC_HEAP

# heap columns: time, packed event (below 2^53, so exact in a float64)
HP_T, HP_EVENT = range(2)


# Every event in the heap is a departure (arrivals wait beside it, see F_NEXT): it packs the node
# (bits 0 to 19) and the request (bits 20 and up).
NODE_BITS = 20


NODE_MASK = (1 << NODE_BITS) - 1


# The event heap: departures only (arrivals wait beside it, see F_NEXT). A 4-ary min-heap on time
# with each entry's time and event side by side: a node's four children lie in one or two cache
# lines, and the heap is half as deep as a binary one. At a million requests a second some 15,000
# departures are pending, and the binary heap, with times, sequence numbers and events in separate
# arrays, took a fifth of the time in cache misses. Events of the same time leave in an order the
# heap fixes: the same on every run, not necessarily the order they were pushed in.
HEAP_ARITY = 4


@jit(inline="always")
def pack_event(node, req):
    return (req << NODE_BITS) | node


@jit(inline="always")
def event_node(event):
    return event & NODE_MASK


@jit(inline="always")
def event_req(event):
    return event >> NODE_BITS


@jit(inline="always")
def heap_event(heap, i):
    return int(heap[i, HP_EVENT])


@jit(inline="always")
def _sink(heap, size, i, t, event):
    """Put (t, event) in the hole at i, or lower: the earliest child moves up while it is earlier."""
    while True:
        first = HEAP_ARITY * i + 1
        if first >= size:
            break
        if first + 3 < size:
            # All four children: the earliest by a tournament, without branches.
            t0, t1, t2, t3 = heap[first, HP_T], heap[first + 1, HP_T], heap[first + 2, HP_T], heap[first + 3, HP_T]
            a, b = first + (t1 < t0), first + 2 + (t3 < t2)
            ta, tb = min(t0, t1), min(t2, t3)
            child = b if tb < ta else a
            child_t = min(ta, tb)
        else:
            child, child_t = first, heap[first, HP_T]
            for c in range(first + 1, size):
                if heap[c, HP_T] < child_t:
                    child, child_t = c, heap[c, HP_T]
        if t <= child_t:
            break
        heap[i, HP_T] = child_t
        heap[i, HP_EVENT] = heap[child, HP_EVENT]
        i = child
    heap[i, HP_T] = t
    heap[i, HP_EVENT] = event


@jit(inline="always")
def heap_push(heap, scalars, t, node, req):
    i = scalars[SC_HEAP]
    scalars[SC_HEAP] = i + 1
    while i > 0:
        parent = (i - 1) // HEAP_ARITY
        if heap[parent, HP_T] <= t:
            break
        heap[i, HP_T] = heap[parent, HP_T]
        heap[i, HP_EVENT] = heap[parent, HP_EVENT]
        i = parent
    heap[i, HP_T] = t
    heap[i, HP_EVENT] = float(pack_event(node, req))


@jit(inline="always")
def heap_pop(heap, scalars):
    """Remove the earliest event; it is left in the last slot, whose index is returned."""
    last = scalars[SC_HEAP] - 1
    scalars[SC_HEAP] = last
    top_t, top_event = heap[0, HP_T], heap[0, HP_EVENT]
    _sink(heap, last, 0, heap[last, HP_T], heap[last, HP_EVENT])
    heap[last, HP_T], heap[last, HP_EVENT] = top_t, top_event
    return last


@jit
def heap_remove_node(heap, scalars, node):
    """Drop every departure at that node; rare, so O(H) is fine."""
    size = scalars[SC_HEAP]
    kept = 0
    for i in range(size):
        event = heap_event(heap, i)
        if event_node(event) == node:
            continue
        heap[kept, HP_T], heap[kept, HP_EVENT] = heap[i, HP_T], heap[i, HP_EVENT]
        kept += 1
    scalars[SC_HEAP] = kept
    for i in range((kept - 2) // HEAP_ARITY, -1, -1):
        _sink(heap, kept, i, heap[i, HP_T], heap[i, HP_EVENT])
