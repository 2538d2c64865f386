"""Patching a document: the one place a node's props or the traffic are replaced in Python."""

import copy


def patch_document(doc: dict, target: str, props: dict) -> dict:
    """A copy of `doc` with `props` set on node `target`, or on the traffic when target is
    "traffic"; the props it does not name keep their values. KeyError if there is no such node."""
    patched = copy.deepcopy(doc)
    if target == "traffic":
        patched.setdefault("traffic", {}).update(props)
        return patched
    node = next((node for node in patched.get("nodes", []) if node.get("id") == target), None)
    if node is None:
        raise KeyError(f"There is no node called {target!r}.")
    node.setdefault("props", {}).update(props)
    return patched
