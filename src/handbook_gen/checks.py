"""Semantic checks over the assembled handbook, as a named list of functions.

Each check takes (handbook, diags) and reports; none changes the model. Imports:
diagnostics, model.
"""
from __future__ import annotations

from handbook_gen.diagnostics import Diagnostics, did_you_mean
from handbook_gen.model import Handbook


def check_owners(hb: Handbook, diags: Diagnostics) -> None:
    for p in hb.policies.values():
        if p.meta.owner not in hb.departments:
            diags.add("HB121", f"owner '{p.meta.owner}' is not in the department registry",
                      p.meta.key_locations.get("owner"),
                      hint=did_you_mean(p.meta.owner, hb.departments)
                      or "add it to departments: in _handbook.yaml")


def check_related_ids(hb: Handbook, diags: Diagnostics) -> None:
    for p in hb.policies.values():
        for key in ("supersedes", "related"):
            for target, loc in getattr(p.meta, key):
                if target == p.id:
                    diags.add("HB211", f"'{key}' names the policy itself", loc)
                elif target not in hb.policies:
                    diags.add("HB211", f"'{key}' names unknown policy '{target}'", loc,
                              hint=did_you_mean(target, hb.policies))


def check_supersession(hb: Handbook, diags: Diagnostics) -> None:
    edges = {p.id: [t for t, _ in p.meta.supersedes if t in hb.policies and t != p.id]
             for p in hb.policies.values()}
    reported: set[frozenset] = set()
    for start in edges:
        path, seen = [start], {start}
        stack = [(start, iter(edges[start]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                seen.discard(node)
                path.pop()
                continue
            if nxt == start:
                cycle = frozenset(path)
                if cycle not in reported:
                    reported.add(cycle)
                    p = hb.policies[start]
                    diags.add("HB212", "supersedes cycle: " + " → ".join(path + [start]),
                              p.meta.key_locations.get("supersedes"))
            elif nxt not in seen and len(path) < 64:
                seen.add(nxt)
                path.append(nxt)
                stack.append((nxt, iter(edges[nxt])))


CHECKS = (
    ("owners", check_owners),
    ("related-ids", check_related_ids),
    ("supersession", check_supersession),
)


def run_checks(hb: Handbook, diags: Diagnostics) -> None:
    for _name, check in CHECKS:
        check(hb, diags)
