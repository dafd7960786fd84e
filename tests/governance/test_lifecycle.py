"""Policy states on fixed build dates, supersession both ways and its diagnostics, the
build date (--today, SOURCE_DATE_EPOCH) and determinism."""
from __future__ import annotations

import datetime as dt

import pytest
from helpers import codes, main_html, policy

from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.assemble.lifecycle import Lifecycle, build_date, epoch_date, policy_state
from handbook_gen.core.model import Policy, PolicyMeta
from handbook_gen.build.pipeline import BuildOptions, BuildResult, input_digest, load, read_sources

# These tests quote the English diagnostics (each still checked to have its Chinese).
pytestmark = pytest.mark.usefixtures("english_output")

D = dt.date


def make(status="active", effective=D(2025, 1, 1), review_by=None, pid="GN-001") -> Policy:
    meta = PolicyMeta(pid, "测试制度", "GMO", status, effective, "1.0", review_by=review_by)
    return Policy(meta, "general", f"policies/01-general/{pid}.md", None)


@pytest.mark.parametrize("status, effective, review_by, today, state, days", [
    ("active", D(2025, 1, 1), D(2027, 1, 1), D(2026, 6, 1), "active", 214),
    ("active", D(2025, 1, 1), None, D(2026, 6, 1), "active", None),
    ("active", D(2025, 1, 1), D(2026, 6, 1), D(2026, 6, 1), "active", 0),       # due today
    ("active", D(2025, 1, 1), D(2026, 6, 1), D(2026, 6, 2), "overdue", -1),     # the day after
    ("active", D(2026, 6, 1), D(2028, 6, 1), D(2026, 6, 1), "active", 731),     # effective today
    ("active", D(2026, 6, 2), D(2028, 6, 1), D(2026, 6, 1), "pending", 731),    # effective tomorrow
    ("active", D(2027, 1, 1), D(2026, 1, 1), D(2026, 6, 1), "pending", -151),   # pending wins
    ("draft", D(2027, 1, 1), D(2020, 1, 1), D(2026, 6, 1), "draft", None),
    ("retired", D(2020, 1, 1), D(2021, 1, 1), D(2026, 6, 1), "retired", None),
])
def test_state_on_fixed_dates(status, effective, review_by, today, state, days):
    st = policy_state(make(status, effective, review_by), today)
    assert (st.state, st.review_days) == (state, days)
    assert st.label == {"active": "现行", "overdue": "复审逾期", "pending": "尚未生效",
                        "draft": "草案", "retired": "已废止"}[state]
    assert st.in_force == (state in ("active", "overdue"))


def test_build_date_precedence():
    assert build_date(D(2026, 1, 2), {"SOURCE_DATE_EPOCH": "0"}) == D(2026, 1, 2)
    assert build_date(None, {"SOURCE_DATE_EPOCH": "1767225600"}) == D(2026, 1, 1)
    assert build_date(None, {"SOURCE_DATE_EPOCH": "1767225599"}) == D(2025, 12, 31)  # UTC
    assert build_date(None, {"SOURCE_DATE_EPOCH": "nonsense"}) == dt.date.today()
    assert build_date(None, {}) == dt.date.today()
    with pytest.raises(ValueError):
        epoch_date("yesterday")


def lifecycle_of(project, today: D) -> tuple[Lifecycle, Diagnostics]:
    result = BuildResult(Diagnostics())
    load(project.src, BuildOptions(today=today), result)
    return Lifecycle(result.handbook, today), result.diagnostics


def test_supersession_both_ways_and_lists(project):
    project.write("01-general/old.md", policy("GN-001", title="旧办法", status="retired"))
    project.write("01-general/new.md", policy("GN-002", title="新办法",
                                              extra="supersedes: [GN-001]\nreview_by: 2026-03-01\n"))
    project.write("01-general/split.md", policy("GN-003", title="分拆办法",
                                                extra="supersedes: [GN-001]\n"))
    project.write("01-general/next.md", policy("GN-004", title="待复审办法",
                                               extra="review_by: 2026-09-01\n"))
    life, diags = lifecycle_of(project, D(2026, 6, 1))
    assert life.state("GN-001").successors == ("GN-002", "GN-003")
    assert life.state("GN-002").predecessors == ("GN-001",)
    assert [p.id for p in life.overdue()] == ["GN-002"]
    assert [p.id for p in life.upcoming(100)] == ["GN-004"]
    assert [p.id for p in life.upcoming(60)] == []


def test_supersession_diagnostics(project):
    project.write("01-general/a.md", policy("GN-001", status="retired",
                                            extra="supersedes: [GN-002]\n"))
    project.write("01-general/b.md", policy("GN-002", extra="supersedes: [GN-001, GN-404, GN-002]\n"))
    project.write("01-general/c.md", policy("GN-003", extra="supersedes: [GN-004]\n"))
    project.write("01-general/d.md", policy("GN-004"))
    r = project.check()
    assert r.exit_code == 1
    out = r.output
    assert "policies/01-general/b.md:8:22: error[HB211]: 'supersedes' names unknown policy 'GN-404'" in out
    assert "policies/01-general/b.md:8:30: error[HB211]: 'supersedes' names the policy itself" in out
    assert "policies/01-general/a.md:8:1: error[HB212]: supersedes cycle: GN-001 → GN-002 → GN-001" in out
    assert "policies/01-general/c.md:8:14: warning[HB213]: GN-004 is superseded by GN-003 but is " \
        "still active" in out


def test_retired_with_only_draft_successors_and_review_typo(project):
    project.write("01-general/a.md", policy("GN-001", status="retired"))
    project.write("01-general/b.md", policy("GN-002", status="draft", extra="supersedes: [GN-001]\n"))
    project.write("01-general/c.md", policy("GN-003", extra="review_by: 2024-12-31\n"))
    r = project.check()
    assert r.exit_code == 0, r.output
    assert "policies/01-general/a.md:5:1: warning[HB303]: GN-001 is retired but its successor " \
        "GN-002 is still a draft" in r.output
    assert "policies/01-general/c.md:8:1: warning[HB302]: review date 2024-12-31 is not after the " \
        "effective date 2025-01-01" in r.output
    assert codes(project.check("--strict").output).count("HB302") == 1


def test_pages_show_states_and_successors(project):
    project.write("01-general/old.md", policy("GN-001", title="旧办法", status="retired"))
    project.write("01-general/new.md", policy("GN-002", title="新办法",
                                              extra="supersedes: [GN-001]\nreview_by: 2026-03-01\n"))
    project.write("01-general/next.md", policy("GN-003", title="下一版",
                                               extra="review_by: 2030-01-01\n"
                                               "related: [GN-002]\n").replace(
                                                   "effective: 2025-01-01", "effective: 2026-09-01"))
    r = project.build("--today", "2026-06-01")
    assert r.exit_code == 0, r.output
    old = main_html(project.page("policies/gn-001.html"))
    assert '<span class="status status-retired">已废止</span>' in old
    assert '现行：<a href="../policies/gn-002.html">《新办法》</a>' in old  # the state bar
    assert ('<p>被替代：<a href="../policies/gn-002.html">《新办法》</a>\n'
            '<span class="status status-overdue">复审逾期</span></p>') in old
    new = main_html(project.page("policies/gn-002.html"))
    assert '<span class="status status-overdue">复审逾期</span>' in new
    assert "已逾期 92 天" in new
    assert ('<p>替代：<a href="../policies/gn-001.html">《旧办法》</a>\n'
            '<span class="status status-retired">已废止</span></p>') in new
    pending = main_html(project.page("policies/gn-003.html"))
    assert '<span class="status status-pending">尚未生效</span>' in pending
    assert 'class="state-bar state-bar-pending"' in pending
    assert '自 <time datetime="2026-09-01">2026-09-01</time> 起施行' in pending
    status = main_html(project.page("status.html"))
    order = [status.index(f">{pid}<") for pid in ("GN-002", "GN-003", "GN-001")]
    assert order == sorted(order), "overdue first, retired last"
    assert "逾期 92 天" in status
    index = main_html(project.page("index.html"))
    assert '<span class="status status-overdue">复审逾期</span>' in index
    # a later build date: the pending policy is in force, the overdue one more overdue
    r = project.build("--today", "2026-09-01")
    assert '<span class="status status-active">现行</span>' in project.page("policies/gn-003.html")
    assert "已逾期 184 天" in project.page("policies/gn-002.html")


def test_policy_replaced_by_a_pending_successor_says_so(project):
    project.write("01-general/old.md", policy("GN-001", title="旧办法"))
    project.write("01-general/new.md", policy("GN-002", title="新办法", extra="supersedes: [GN-001]\n")
                  .replace("effective: 2025-01-01", "effective: 2026-09-01"))
    assert project.build("--today", "2026-06-01").exit_code == 0
    old = main_html(project.page("policies/gn-001.html"))
    assert '<span class="status status-active">现行</span>' in old
    assert '本制度将被<a href="../policies/gn-002.html">《新办法》</a>（2026-09-01 起施行）替代' in old


def test_build_date_from_source_date_epoch_and_determinism(project):
    project.write("01-general/a.md", policy("GN-001", extra="review_by: 2026-03-01\n"))
    runner_env = {"SOURCE_DATE_EPOCH": "1772323200"}  # 2026-03-01T00:00:00Z: due that day
    from click.testing import CliRunner

    from handbook_gen.cli import main
    outs = []
    for name in ("s1", "s2"):
        r = CliRunner().invoke(main, ["build", str(project.src), "--out", str(project.base / name),
                                      "--no-cache"], env=runner_env)
        assert r.exit_code == 0, r.output
        outs.append({p.relative_to(project.base / name): p.read_bytes()
                     for p in sorted((project.base / name).rglob("*")) if p.is_file()})
    assert outs[0] == outs[1], "same inputs and build date: byte-identical output"
    assert '<span class="status status-active">现行</span>' in project.page("policies/gn-001.html", "s1")
    assert "2026-03-01" in project.page("status.html", "s1")
    r = CliRunner().invoke(main, ["build", str(project.src), "--out", str(project.base / "s3")],
                           env={"SOURCE_DATE_EPOCH": "soon"})
    assert r.exit_code == 2 and "SOURCE_DATE_EPOCH" in r.output


def test_input_digest_includes_build_date(project):
    project.write("01-general/a.md", policy("GN-001"))
    sources = read_sources(project.src, Diagnostics())
    a = input_digest(sources, BuildOptions(today=D(2026, 1, 1)))
    assert a == input_digest(sources, BuildOptions(today=D(2026, 1, 1)))
    assert a != input_digest(sources, BuildOptions(today=D(2026, 1, 2)))


def test_no_op_rebuild_is_not_skipped_on_another_day(project):
    project.write("01-general/a.md", policy("GN-001", extra="review_by: 2026-03-01\n"))
    assert project.build("--today", "2026-03-01").exit_code == 0
    r = project.build("--today", "2026-03-01")
    assert "site is up to date" in r.output
    r = project.build("--today", "2026-03-02")
    assert "site is up to date" not in r.output
    assert "复审逾期" in project.page("policies/gn-001.html")


def test_bad_today_is_a_usage_error(project):
    r = project.run("check", str(project.src), "--today", "2026-02-30")
    assert r.exit_code == 2


def test_supersession_is_one_graph(project):
    """Handbook.supersession: known ids only, never the policy itself, each pair once;
    successors in handbook order, predecessors in front-matter order."""
    project.write("01-general/a.md", policy("GN-001", status="retired"))
    project.write("01-general/b.md", policy("GN-002", status="retired"))
    project.write("01-general/c.md", policy("GN-003", extra="supersedes: [GN-002, GN-001, GN-001, "
                                            "GN-404, GN-003]\n"))
    project.write("01-general/d.md", policy("GN-004", extra="supersedes: [GN-001]\n"))
    life, _ = lifecycle_of(project, D(2026, 6, 1))
    successors, predecessors = life.hb.supersession
    assert dict(successors) == {"GN-001": ("GN-003", "GN-004"), "GN-002": ("GN-003",)}
    assert dict(predecessors) == {"GN-003": ("GN-002", "GN-001"), "GN-004": ("GN-001",)}
    assert life.hb.supersession is life.hb.supersession  # computed once per handbook
    assert life.state("GN-001").successors == ("GN-003", "GN-004")
    assert life.state("GN-003").predecessors == ("GN-002", "GN-001")


def test_retired_policy_names_every_successor(project):
    """A policy split in two names both successors (page notice and the HB203 hint), and
    a first successor that is not published does not hide the second."""
    project.write("01-general/a.md", policy("GN-001", title="旧办法", status="retired"))
    project.write("01-general/b.md", policy("GN-002", title="甲办法", extra="supersedes: [GN-001]\n"))
    project.write("01-general/c.md", policy("GN-003", title="乙办法", extra="supersedes: [GN-001]\n"))
    project.write("01-general/d.md", policy("GN-004", body="§ 参照[[GN-001]]执行。\n"))
    r = project.build("--today", "2026-06-01")
    assert "warning[HB203]: GN-001 is retired" in r.output
    assert "= help: cite its successor GN-002、GN-003" in r.output
    old = main_html(project.page("policies/gn-001.html"))
    bar = old[old.index('<div class="state-bar'):old.index("</div>", old.index("state-bar"))]
    assert '现行：<a href="../policies/gn-002.html">《甲办法》</a>' in bar
    assert '<a href="../policies/gn-003.html">《乙办法》</a>' in bar
    project.write("01-general/b.md", policy("GN-002", title="甲办法", status="draft",
                                            extra="supersedes: [GN-001]\n"))
    assert project.build("--today", "2026-06-01").exit_code == 0
    old = main_html(project.page("policies/gn-001.html"))
    bar = old[old.index('<div class="state-bar'):old.index("</div>", old.index("state-bar"))]
    assert '现行：<a href="../policies/gn-003.html">《乙办法》</a>' in bar and "甲办法" not in bar
