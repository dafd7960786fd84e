"""The sample handbook exercises the governance features: every state on a fixed date,
supersession, and process flows in the operations chapter."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.governance.flows import departments_of
from handbook_gen.assemble.lifecycle import Lifecycle
from handbook_gen.build.pipeline import BuildOptions, BuildResult, load

POLICIES = Path(__file__).resolve().parents[2] / "policies"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def sample():
    result = BuildResult(Diagnostics(strict=True))
    load(POLICIES, BuildOptions(today=TODAY), result)
    assert [str(d) for d in result.diagnostics.items] == []
    return result.handbook


def test_every_state_occurs(sample):
    life = Lifecycle(sample, TODAY)
    states = Counter(life.state(pid).state for pid in sample.policies)
    assert states["active"] >= 30
    assert states["overdue"] >= 1 and states["pending"] >= 1
    assert states["draft"] >= 1 and states["retired"] >= 1
    retired = [pid for pid in sample.policies if life.state(pid).state == "retired"]
    assert any(life.state(pid).successors for pid in retired)


def test_operations_chapter_has_flows(sample):
    ops = sample.chapter("operations")
    with_flows = [pid for pid in ops.policy_ids if sample.policies[pid].body.flows]
    assert len(with_flows) >= 5, with_flows
    for pid in with_flows:
        for flow in sample.policies[pid].body.flows:
            assert flow.title and len(flow.steps) >= 5
            assert any(s.decision for s in flow.steps)
            assert len(departments_of(flow, sample.departments)) >= 2
