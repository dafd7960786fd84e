"""Incremental rebuilds: change lists in, re-rendered page counts out."""
from __future__ import annotations

import pytest
from helpers import policy

from handbook_gen.serve.live import CONFIG, SOURCE, THEME, Change, LiveSite

TARGET = "## 总则\n\n§{purpose} 目的。\n\n§{scope} 范围。\n\n## 附则\n\n§{effective} 施行。\n"


@pytest.fixture
def site(project):
    project.write("01-general/qm.md", policy("QM-001", title="质量管理制度", body=TARGET))
    project.write("01-general/a.md", policy("OP-001", title="采购管理办法",
                                            body="§ 见[[QM-001#scope]]。\n"))
    project.write("01-general/b.md", policy("OP-002", title="合同管理办法",
                                            body="§ 见[[QM-001#purpose]]。\n"))
    project.write("01-general/c.md", policy("OP-003", title="会议管理规定", body="§ 无引用。\n"))
    live = LiveSite(project.src)
    first = live.rebuild(defer=True)
    assert live.ok and first.counters["pages_rendered"] == len(live.rendered) > 8
    return project, live


def rendered(live, project, rel, text):
    project.write(rel, text)
    result = live.rebuild([Change(SOURCE, str(project.src / rel))], defer=True)
    assert live.ok, live.diagnostics
    return result


def test_nothing_changed_renders_nothing(site):
    project, live = site
    result = live.rebuild([Change(SOURCE)], defer=True)
    assert result.counters == {"sources_parsed": 0, "pages_rendered": 0, "policies": 4,
                               "policy_pages": 4}


def test_body_edit_renders_one_page(site):
    project, live = site
    before = dict(live.files)
    result = rendered(live, project, "01-general/c.md",
                      policy("OP-003", title="会议管理规定", body="§ 改过的正文。\n"))
    assert result.counters == {"sources_parsed": 1, "pages_rendered": 1, "policies": 4,
                               "policy_pages": 4}
    assert "改过的正文" in live.files["policies/op-003.html"].decode()
    changed = [p for p in live.files if live.files[p] != before.get(p)]
    assert changed == ["policies/op-003.html"]


def test_renumbering_renders_exactly_the_citing_pages(site):
    project, live = site
    before = dict(live.files)
    result = rendered(live, project, "01-general/qm.md", policy(
        "QM-001", title="质量管理制度", body=TARGET.replace("## 总则\n\n", "## 总则\n\n§ 新增。\n\n")))
    changed = sorted(p for p in live.files if live.files[p] != before.get(p))
    # the policy itself and the two pages whose citation text changed (第二条 -> 第三条)
    assert changed == ["policies/op-001.html", "policies/op-002.html", "policies/qm-001.html"]
    assert result.counters["pages_rendered"] == 3
    assert "《质量管理制度》第三条" in live.files["policies/op-001.html"].decode()


def test_title_change_follows_to_lists_and_citations(site):
    project, live = site
    result = rendered(live, project, "01-general/qm.md",
                      policy("QM-001", title="质量总制度", body=TARGET))
    assert "《质量总制度》第二条" in live.files["policies/op-001.html"].decode()
    assert "质量总制度" in live.files["index.html"].decode()
    assert "质量总制度" in live.files["chapters/general.html"].decode()
    assert "质量总制度" in live.files["departments/gmo.html"].decode()
    # every page of the chapter shows the title in its navigation
    assert result.counters["pages_rendered"] >= 6


def test_theme_and_config_changes_render_everything(site):
    project, live = site
    total = len(live.rendered)
    assert live.rebuild([Change(THEME)], defer=True).counters["pages_rendered"] == total
    assert live.rebuild([Change(CONFIG)], defer=True).counters["pages_rendered"] == total


def test_failed_rebuild_keeps_last_good_site_then_recovers(site):
    project, live = site
    good = dict(live.files)
    project.write("01-general/a.md", policy("OP-001", title="采购管理办法",
                                            body="§ 见[[QM-001#nope]]。\n"))
    result = live.rebuild([Change(SOURCE)], defer=True)
    assert not live.ok and live.files == good
    assert [(d.code, str(d.location)) for d in live.diagnostics] == \
        [("HB201", "policies/01-general/a.md:9:4")]
    assert result.counters["pages_rendered"] == 0
    rendered(live, project, "01-general/a.md", policy("OP-001", title="采购管理办法",
                                                       body="§ 见[[QM-001#purpose]]。\n"))
    assert live.ok and live.diagnostics == []
    assert "《质量管理制度》第一条" in live.files["policies/op-001.html"].decode()


def test_added_and_deleted_policies(site):
    project, live = site
    rendered(live, project, "01-general/d.md", policy("OP-004", title="新制度"))
    assert "policies/op-004.html" in live.files
    (project.src / "01-general/d.md").unlink()
    live.rebuild([Change(SOURCE)], defer=True)
    assert "policies/op-004.html" not in live.files


def test_incremental_equals_clean_build(site, tmp_path):
    """After a sequence of edits the served site equals a clean build of the sources."""
    project, live = site
    rendered(live, project, "01-general/qm.md", policy(
        "QM-001", title="质量管理制度", body=TARGET.replace("§{scope}", "§ 插入。\n\n§{scope}")))
    rendered(live, project, "01-general/c.md", policy("OP-003", title="会议规定", body="§ 改。\n"))
    clean = LiveSite(project.src)
    clean.rebuild(defer=True)
    assert clean.files == live.files


def test_whole_site_outputs_are_deferred_then_caught_up(site):
    project, live = site
    live.apply_deferred(live.deferred_outputs())  # settle the first build
    old_compiled = live.files["compiled.html"]
    rendered(live, project, "01-general/c.md",
             policy("OP-003", title="会议管理规定", body="§ 延后的汇编正文。\n"))
    assert live.files["compiled.html"] == old_compiled  # still the previous edition
    stale, search_stale = live.pending  # every whole-site output follows any change
    assert stale == [("compiled",), ("catalogue",)] and search_stale
    live.apply_deferred(live.deferred_outputs())
    assert "延后的汇编正文" in live.files["compiled.html"].decode()
    assert live.pending is None


def test_no_search_option_is_honoured(project):
    from handbook_gen.build.pipeline import BuildOptions
    project.write("01-general/a.md", policy("OP-001", title="采购管理办法"))
    live = LiveSite(project.src, BuildOptions(search=False))
    live.rebuild()
    assert not any(p.startswith("search/") for p in live.files)
    assert 'id="hb-q"' not in live.files["index.html"].decode()


def test_open_pages_first_then_the_rest(site):
    """With `first` (the pages open in a browser), a renumbering renders the open page
    and keeps the citing pages' previous versions until finish()."""
    project, live = site
    before = dict(live.files)
    project.write("01-general/qm.md", policy(
        "QM-001", title="质量管理制度", body=TARGET.replace("## 总则\n\n", "## 总则\n\n§ 新增。\n\n")))
    result = live.rebuild([Change(SOURCE)], defer=True, first={"policies/qm-001.html"})
    assert result.counters["pages_rendered"] == 1 and live.ok
    assert live.files["policies/qm-001.html"] != before["policies/qm-001.html"]
    assert live.files["policies/op-001.html"] == before["policies/op-001.html"]  # not yet
    assert live.finish() == 2
    assert "《质量管理制度》第三条" in live.files["policies/op-001.html"].decode()
    assert live.finish() == 0
    clean = LiveSite(project.src)
    clean.rebuild(defer=True)
    live.apply_deferred(live.deferred_outputs())
    clean.apply_deferred(clean.deferred_outputs())
    assert clean.files == live.files


def test_a_template_error_in_the_rest_fails_the_rebuild(site):
    project, _ = site
    (project.base / "templates").mkdir()
    (project.base / "templates" / "policy.html").write_text(
        '{% extends "builtin/policy.html" %}{% block content %}'
        '{% if policy.id == "OP-001" and "第三条" in body %}{{ nope }}{% endif %}'
        '{{ super() }}{% endblock %}', encoding="utf-8")
    live = LiveSite(project.src)
    live.rebuild(defer=True)
    assert live.ok
    good = dict(live.files)
    project.write("01-general/qm.md", policy(
        "QM-001", title="质量管理制度", body=TARGET.replace("## 总则\n\n", "## 总则\n\n§ 新增。\n\n")))
    live.rebuild([Change(SOURCE)], defer=True, first={"policies/qm-001.html"})
    assert live.ok  # the open page rendered fine
    live.finish()
    assert not live.ok and sorted(d.code for d in live.diagnostics) == ["HB400", "HB402"]
    assert live.files == good  # back to the last good site


def test_catalogue_follows_article_counts(site):
    """catalogue.json lists every policy's article count: a whole-site output, deferred
    like the compiled edition, and refreshed when only a count changed."""
    import json
    project, live = site
    live.apply_deferred(live.deferred_outputs())
    rendered(live, project, "01-general/qm.md", policy(
        "QM-001", title="质量管理制度", body=TARGET + "\n§ 附加一条。\n"))
    assert ("catalogue",) in live.pending[0]
    live.apply_deferred(live.deferred_outputs())
    records = {r["id"]: r for r in json.loads(live.files["catalogue.json"])["policies"]}
    assert records["QM-001"]["articles"] == 4


def test_title_edit_in_a_large_chapter_renders_its_sidebar_group_only(project):
    """A sidebar shows its group of NAV_GROUP policies: a title change re-renders that
    group (and the pages that list or neighbour the policy), not the whole chapter, and
    the result equals a clean build."""
    from handbook_gen.render.nav import NAV_GROUP
    n = NAV_GROUP * 2 + 10
    for i in range(n):
        project.write(f"01-general/p{i:03d}.md", policy(f"GN-{i:03d}", title=f"第{i}号制度"))
    live = LiveSite(project.src)
    live.rebuild(defer=True)
    before = dict(live.files)
    result = rendered(live, project, "01-general/p005.md", policy("GN-005", title="改名的制度"))
    changed = {p for p in live.files if live.files[p] != before.get(p)}
    assert {f"policies/gn-{i:03d}.html" for i in range(NAV_GROUP)} <= changed  # its group
    assert not any(f"policies/gn-{i:03d}.html" in changed for i in range(NAV_GROUP, n))
    assert result.counters["pages_rendered"] < n  # not every page of the chapter
    clean = LiveSite(project.src)
    clean.rebuild(defer=True)
    assert {p: d for p, d in clean.files.items() if p.startswith("policies/")} == \
        {p: d for p, d in live.files.items() if p.startswith("policies/")}


def test_serve_runs_the_governance_checks(project):
    """The live site runs the check stage of the build: lifecycle (HB302) and flow
    department (HB311) checks included, with exactly the diagnostics of `check`."""
    from handbook_gen.build.pipeline import BuildOptions, check
    project.write("01-general/a.md", policy("GN-001", extra="review_by: 2024-12-31\n"))
    project.write("01-general/b.md", policy(
        "GN-002", body="```flow\n申请 | [申请人] | 填写\n审核 | FNI | 审核\n```\n"))
    live = LiveSite(project.src)
    live.rebuild()
    codes = sorted(d.code for d in live.diagnostics)
    assert "HB302" in codes and "HB311" in codes
    assert live.diagnostics == check(project.src, BuildOptions()).diagnostics.sorted()


def test_a_page_follows_every_input_it_shows(site):
    """Inputs a hand-written dependency list could forget: the title of a successor or
    of a related policy in another chapter (so no sidebar shows it), the neighbours'
    titles (prev/next), who cites a policy. After each edit the served site equals a
    clean build."""
    from helpers import CHAPTER
    project, live = site
    project.write("02-other/_chapter.md", CHAPTER.format(title="其他", body=""))
    live.rebuild([Change(SOURCE)], defer=True)
    edits = [
        ("02-other/d.md", policy("OP-004", title="新采购办法", extra="supersedes: [OP-001]\n")),
        ("02-other/d.md", policy("OP-004", title="改名的采购办法",
                                 extra="supersedes: [OP-001]\n")),
        ("02-other/e.md", policy("OP-005", title="相关办法", extra="related: [OP-003]\n")),
        ("01-general/c.md", policy("OP-003", title="会议规定", extra="related: [OP-005]\n")),
        ("02-other/e.md", policy("OP-005", title="改名的相关办法", extra="related: [OP-003]\n")),
        ("01-general/c.md", policy("OP-003", title="改名的会议规定", body="§ 见[[OP-001]]。\n",
                                   extra="related: [OP-005]\n")),
    ]
    for rel, text in edits:
        rendered(live, project, rel, text)
        clean = LiveSite(project.src)
        clean.rebuild(defer=True)
        assert {p: d for p, d in clean.files.items() if p.endswith(".html")} == \
            {p: d for p, d in live.files.items() if p.endswith(".html")}, rel
    assert "改名的采购办法" in live.files["policies/op-001.html"].decode()
    assert "改名的相关办法" in live.files["policies/op-003.html"].decode()
