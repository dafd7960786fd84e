"""The semantic checks one by one, on handbooks parsed and assembled in memory: each
check's code, message, hint and the front-matter position it points at."""
from __future__ import annotations

import pytest

from handbook_gen.assemble.checks import (CHECKS, check_owners, check_related_ids,
                                          check_supersession, run_checks)
from handbook_gen.assemble.handbook import assemble
from handbook_gen.core.diagnostics import Diagnostics, Location
from handbook_gen.core.model import Department, SiteInfo
from handbook_gen.markdown.document import parse_document
from handbook_gen.source.config import HandbookConfig

DEPTS = {d: Department(d, name, None, (), Location("policies/_handbook.yaml"))
         for d, name in (("GMO", "总经理办公室"), ("FIN", "财务部"))}


def path(pid: str) -> str:
    return f"policies/01-a/{pid.lower()}.md"


def handbook(*policies: tuple[str, str]):
    """Policies (id, extra front matter lines; owner defaults to GMO), one chapter."""
    files = {"policies/01-a/_chapter.md": "---\ntitle: 甲\n---\n"}
    for pid, extra in policies:
        owner = "" if "owner:" in extra else "owner: GMO\n"
        files[path(pid)] = (f"---\nid: {pid}\ntitle: 制度{pid}\n{owner}status: active\n"
                            f"effective: 2025-01-01\nversion: \"1\"\n{extra}---\n§ 正文。\n")
    docs = [parse_document(p, t.encode()) for p, t in sorted(files.items())]
    assert not [d for doc in docs for d in doc.diagnostics]
    diags = Diagnostics()
    hb = assemble(docs, HandbookConfig(SiteInfo("t", "zh-CN", None), DEPTS), "x", "policies",
                  diags)
    assert not diags.items
    return hb


def run(check, hb):
    diags = Diagnostics()
    check(hb, diags)
    return [(d.code, str(d.location), d.message, d.hint) for d in diags.items]


# ---- owners ----------------------------------------------------------------------------
@pytest.mark.parametrize("owner, hint", [("FNI", "did you mean 'FIN'?"),
                                         ("HR", "add it to departments: in _handbook.yaml")])
def test_owner_must_be_registered(owner, hint):
    hb = handbook(("GN-001", f"owner: {owner}\n"), ("GN-002", ""))
    assert run(check_owners, hb) == [
        ("HB121", f"{path('GN-001')}:7:1",
         f"owner '{owner}' is not in the department registry", hint)]


# ---- supersedes / related ids ----------------------------------------------------------
def test_related_and_supersedes_name_known_other_policies():
    hb = handbook(("GN-001", "supersedes: [GN-001, GN-02]\nrelated:\n  - GN-002\n  - GN-001\n"),
                  ("GN-002", ""))
    assert run(check_related_ids, hb) == [
        ("HB211", f"{path('GN-001')}:8:14", "'supersedes' names the policy itself", "remove it"),
        ("HB211", f"{path('GN-001')}:8:22", "'supersedes' names unknown policy 'GN-02'",
         "did you mean 'GN-002'?"),
        ("HB211", f"{path('GN-001')}:11:5", "'related' names the policy itself", "remove it")]


# ---- supersession cycles ---------------------------------------------------------------
def test_no_cycle_no_report():
    hb = handbook(("GN-001", "supersedes: [GN-002]\n"), ("GN-002", "supersedes: [GN-003]\n"),
                  ("GN-003", "supersedes: [GN-003]\n"))  # naming itself is HB211, not a cycle
    assert run(check_supersession, hb) == []


def test_a_cycle_is_reported_once_at_its_first_policy():
    hb = handbook(("GN-001", "supersedes: [GN-003]\n"), ("GN-002", "supersedes: [GN-001]\n"),
                  ("GN-003", "supersedes: [GN-002]\n"), ("GN-004", "supersedes: [GN-001]\n"))
    assert run(check_supersession, hb) == [
        ("HB212", f"{path('GN-001')}:8:1", "supersedes cycle: GN-001 → GN-003 → GN-002 → GN-001",
         "a policy cannot replace one that (through others) replaces it: remove one "
         "'supersedes' of the cycle")]


def test_the_shortest_cycle_through_the_first_policy_is_shown():
    hb = handbook(("GN-001", "supersedes: [GN-002, GN-004]\n"), ("GN-002", "supersedes: [GN-003]\n"),
                  ("GN-003", "supersedes: [GN-004]\n"), ("GN-004", "supersedes: [GN-001]\n"))
    assert [m for _, _, m, _ in run(check_supersession, hb)] == [
        "supersedes cycle: GN-001 → GN-004 → GN-001"]


def test_separate_cycles_are_reported_separately():
    hb = handbook(("GN-001", "supersedes: [GN-002]\n"), ("GN-002", "supersedes: [GN-001]\n"),
                  ("GN-003", "supersedes: [GN-004]\n"), ("GN-004", "supersedes: [GN-003]\n"))
    assert [(w, m) for _, w, m, _ in run(check_supersession, hb)] == [
        (f"{path('GN-001')}:8:1", "supersedes cycle: GN-001 → GN-002 → GN-001"),
        (f"{path('GN-003')}:8:1", "supersedes cycle: GN-003 → GN-004 → GN-003")]


def test_a_long_cycle_is_shortened():
    n = 20
    ids = [f"GN-{i:03d}" for i in range(1, n + 1)]
    hb = handbook(*((pid, f"supersedes: [{ids[(i + 1) % n]}]\n") for i, pid in enumerate(ids)))
    (found,) = run(check_supersession, hb)
    assert found[2] == ("supersedes cycle: " + " → ".join(ids[:8] + ["…"] + ids[-7:] + [ids[0]])
                        + f" ({n} policies)")


def test_run_checks_runs_every_named_check():
    assert [name for name, _ in CHECKS] == ["owners", "related-ids", "aliases", "supersession"]
    hb = handbook(("GN-001", "owner: XX\nsupersedes: [GN-002, GN-009]\n"),
                  ("GN-002", "supersedes: [GN-001]\n"))
    diags = Diagnostics()
    run_checks(hb, diags)
    assert [d.code for d in diags.items] == ["HB121", "HB211", "HB212"]
