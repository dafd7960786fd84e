"""Semantic checks over the assembled handbook, as a named list of functions.

Each check takes (handbook, diags) and reports; none changes the model.
"""
from __future__ import annotations

from handbook_gen.core.diagnostics import DID_YOU_MEAN, Diagnostics, closest
from handbook_gen.core.model import Handbook


def check_owners(hb: Handbook, diags: Diagnostics) -> None:
    for p in hb.policies.values():
        if p.meta.owner not in hb.departments:
            guess = closest(p.meta.owner, hb.departments)
            diags.add("HB121", "owner '{owner}' is not in the department registry",
                      p.meta.key_locations.get("owner"),
                      hint=DID_YOU_MEAN if guess else "add it to departments: in _handbook.yaml",
                      owner=p.meta.owner, guess=guess)


def check_related_ids(hb: Handbook, diags: Diagnostics) -> None:
    for p in hb.policies.values():
        for key in ("supersedes", "related"):
            for target, loc in getattr(p.meta, key):
                if target == p.id:
                    diags.add("HB211", "'{key}' names the policy itself", loc,
                              hint="remove it", key=key)
                elif target not in hb.policies:
                    guess = closest(target, hb.policies)
                    diags.add("HB211", "'{key}' names unknown policy '{target}'", loc,
                              hint=DID_YOU_MEAN if guess else "check the policy id",
                              key=key, target=target, guess=guess)


def check_aliases(hb: Handbook, diags: Diagnostics) -> None:
    """An alias another policy also answers to (its title or one of its aliases) would
    make a search or citation by that name ambiguous (HB117)."""
    names: dict[str, list[tuple[str, str]]] = {}
    for p in hb.policies.values():
        names.setdefault(p.title.strip(), []).append((p.id, "title"))
        for alias in p.meta.aliases:
            names.setdefault(alias, []).append((p.id, "alias"))
    for p in sorted(hb.policies.values(), key=lambda p: p.id):
        for alias in p.meta.aliases:
            for other, kind in names[alias]:
                if other == p.id:
                    continue
                template = ("alias '{alias}' is also the title of {other}" if kind == "title"
                            else "alias '{alias}' is also an alias of {other}")
                diags.add("HB117", template, p.meta.key_locations.get("aliases"),
                          hint="give each policy names of its own", alias=alias, other=other)


def check_supersession(hb: Handbook, diags: Diagnostics) -> None:
    """Each group of policies that supersede each other in a cycle is reported once,
    with one cycle through its first policy; linear in the number of links."""
    edges = {p.id: [t for t, _ in p.meta.supersedes if t in hb.policies and t != p.id]
             for p in hb.policies.values()}
    order = {pid: i for i, pid in enumerate(edges)}
    for group in _cyclic_groups(edges):
        start = min(group, key=order.__getitem__)
        path = _cycle(edges, start, group)
        names = path if len(path) <= 16 else path[:8] + ["…"] + path[-7:]
        diags.add("HB212", "supersedes cycle: {chain} ({n} policies)" if len(path) > 16
                  else "supersedes cycle: {chain}",
                  hb.policies[start].meta.key_locations.get("supersedes"),
                  hint="a policy cannot replace one that (through others) replaces it: "
                  "remove one 'supersedes' of the cycle",
                  chain=" → ".join(names + [start]), n=len(path))


def _cyclic_groups(edges: dict[str, list[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    work: list = []  # (node, its targets not yet followed), depth first
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        work.append((node, iter(edges[node])))

    for root in edges:
        if root in index:
            continue
        visit(root)
        while work:
            node, targets = work[-1]
            nxt = next(targets, None)
            if nxt is not None:
                if nxt not in index:
                    visit(nxt)
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return groups


def _cycle(edges: dict[str, list[str]], start: str, group: set[str]) -> list[str]:
    """A shortest cycle from `start` back to itself inside `group` (breadth first)."""
    came_from = {start: None}
    queue = [start]
    for node in queue:
        for nxt in edges[node]:
            if nxt == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if nxt in group and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return [start]  # not reached: every member of a group is on a cycle


CHECKS = (
    ("owners", check_owners),
    ("related-ids", check_related_ids),
    ("aliases", check_aliases),
    ("supersession", check_supersession),
)


def run_checks(hb: Handbook, diags: Diagnostics) -> None:
    for _name, check in CHECKS:
        check(hb, diags)
