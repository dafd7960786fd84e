"""CPU and memory budgets for inputs that used to make `check` quadratic, exponential or
recursive: a line with 28,000 unsafe links (every diagnostic re-read the file and quoted
the whole line), policies that supersede each other in a ladder (every path was
enumerated), a department chain 20,000 deep (the org chart recursed once per level).

Each case runs in a driver process that starts the work as its child and reports the
child's resource usage (RUSAGE_CHILDREN): CPU seconds and peak memory, never wall time.
Ceilings are several times the figures measured on an idle machine (in the comments).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import HANDBOOK_YAML, policy

DRIVER = """\
import json, resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True, timeout=600)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
out = (r.stdout + r.stderr).decode("utf-8", "replace")
print(json.dumps([r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss // 1024,
                  out if len(out) < 8000 else out[:4000] + " [...] " + out[-4000:]]))
"""
LINKS = 12_000  # a 204 KB line (17 bytes a link), within the inline budget


def measure(*args: str) -> tuple[int, float, int, str]:
    """(exit code, CPU seconds, peak MiB, the output's head and tail) of `args` in a child."""
    out = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True,
                         text=True, check=True, timeout=900).stdout
    return tuple(json.loads(out))


def handbook(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "policies"
    for rel, text in {"_handbook.yaml": HANDBOOK_YAML,
                      "01-general/_chapter.md": "---\ntitle: 总则\n---\n", **files}.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    return src


def cli(src: Path, *extra: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "handbook_gen", "check", str(src), "--no-cache", *extra)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_unsafe_links_on_one_line(tmp_path, fmt):
    """28,000 `[x](javascript:1)` on one 476 KB line. Before: text never finished (the
    whole line quoted under every diagnostic, the file re-read each time; 3,000 links
    took 8 s and printed 230 MB). Measured: about 1.9 s CPU and 90 MiB in every format."""
    src = handbook(tmp_path, {"01-general/a.md": policy("GN-001",
                                                         body="[x](javascript:1)" * LINKS + "\n")})
    code, cpu, rss, output = measure(*cli(src, "--format", fmt))
    assert code == 1, output
    assert f"{LINKS} 个错误" in output
    if fmt != "json":
        assert f"policies/01-general/a.md 中还有 {LINKS - 100:,} 条 HB132" in output
    assert cpu < 15, f"{cpu:.1f} s CPU"
    assert rss < 600, f"{rss} MiB"


def test_supersedes_ladder(tmp_path):
    """600 policies, each superseding the next two, and the last the first: one cycle
    through all of them. Before: 40 such policies took minutes (every path enumerated).
    Measured: about 0.7 s CPU, 35 MiB."""
    n = 600
    files = {f"01-general/p{i:04d}.md": policy(
        f"GN-{i:04d}", extra="supersedes: [" + ", ".join(
            f"GN-{j % n:04d}" for j in (i + 1, i + 2) if j < n or i == n - 1) + "]\n")
        for i in range(n)}
    code, cpu, rss, output = measure(*cli(handbook(tmp_path, files)))
    assert code == 1, output
    assert "error[HB212]: 制度之间的替代关系形成循环：GN-0000 → GN-0001 → GN-0003" in output
    assert "600 项制度" not in output  # a shortest cycle, not the whole group
    assert cpu < 15, f"{cpu:.1f} s CPU"
    assert rss < 600, f"{rss} MiB"


def test_org_chart_of_a_deep_chain():
    """The org chart of a chain 20,000 departments deep (deeper than any registry may
    be: the drawing must not depend on that limit). Before: RecursionError at about
    1,000. Measured: about 0.6 s CPU, 85 MiB."""
    code = ("from handbook_gen.core.model import Department\n"
            "from handbook_gen.governance.orgchart import org_svg\n"
            "chain = [Department(f'D{i}', f'部门{i}', f'D{i - 1}' if i else None, (), None)\n"
            "         for i in range(20000)]\n"
            "svg = org_svg(chain, lambda d: '#')\n"
            "print(svg.count('<rect'))\n")
    exit_code, cpu, rss, output = measure(sys.executable, "-c", code)
    assert exit_code == 0 and output.strip() == "20000", output
    assert cpu < 20, f"{cpu:.1f} s CPU"
    assert rss < 1000, f"{rss} MiB"
