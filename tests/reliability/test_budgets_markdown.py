"""CPU and memory budgets for pathological Markdown, one per class: huge tables, huge lists,
runs of inline delimiters, many headings, many (unsafe, obfuscated) links, many lines, an
unclosed comment. Each case runs `handbook check` on a handbook holding one such policy as
the child of a driver process, which reports the child's resource usage (RUSAGE_CHILDREN:
CPU seconds and peak memory, never wall time).

Before the limits (HB138) and the parse budget (HB139), a 2,000-column table took 9 s and
670 MiB, 500,000 list items 26 s and 1.1 GiB, 2 MB of '[' 33 s, 1M 'a*' 14 s and 760 MiB,
7,000 obfuscated unsafe links on separate lines 22 s, 10,000 equal headings were quadratic.
Measured since, on a busy machine: at most about 2 s CPU and 150 MiB per case, start-up
(about 0.4 s, 30 MiB) included. The ceilings leave room for a slower machine and still fail
on the old behaviour."""
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
print(json.dumps([r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss // 1024,
                  (r.stdout + r.stderr).decode("utf-8", "replace")[-4000:]]))
"""
MAX_MIB = 320
MAX_CPU = 6.0
A = "policies/01-general/a.md"


def _table(columns: int, rows: int) -> str:
    line = "|" + " x |" * columns + "\n"
    return line + "|" + "---|" * columns + "\n" + line * rows


# id -> (body, the diagnostic it must give); every body is under the 2 MiB file limit
CASES = {
    "table-2000-columns": (_table(2000, 230), f"{A}:9:257: error[HB138]"),
    "table-20000-cells": (_table(4, 4999), None),
    "list-500k-items": ("- a\n" * 500_000, "error[HB139]"),
    "cjk-list-340k-items": ("- 项\n" * 340_000, "error[HB139]"),
    "list-5001-items": ("- a\n" * 5001, f"{A}:5009:1: error[HB138]"),
    "brackets-2m": ("[" * 2_000_000 + "\n", "error[HB139]"),
    "brackets-20k": ("[" * 20_000 + "\n", "error[HB204]"),
    "brackets-50k": ("[" * 50_000 + "\n", "error[HB139]"),
    "emphasis-1m": ("a*" * 1_000_000 + "\n", "error[HB139]"),
    "emphasis-20k": ("a*" * 20_000 + "\n", None),
    "emphasis-50k": ("a*" * 50_000 + "\n", "error[HB139]"),
    "nested-emphasis": ("*a **a " * 280_000 + "\n", "error[HB139]"),
    "headings-10k-equal": ("## 总则\n\n" * 10_000, None),
    "headings-33k": ("# 标\n" * 33_333, None),
    "links-100k": ("[x](https://e.cn) " * 100_000 + "\n", "error[HB139]"),
    "unsafe-links-7000": ("[x](javascript:1)" * 7000 + "\n", "7000 个错误"),
    "obfuscated-links-7000": ("[x](jav&#x61;script:1)\n" * 7000, f"{A}:9:1: error[HB132]"),
    "blank-lines-2m": ("\n" * 2_000_000, "error[HB139]"),
    "quote-lines-500k": ("> a\n" * 500_000, "error[HB139]"),
    "nested-quotes-5000": (">" * 5000 + " a\n", f"{A}:9:1: error[HB133]"),
    "unclosed-comment": ("<!--\n" + "中文\n" * 250_000, f"{A}:9:1: error[HB137]"),
    "html-tags-600k": ("<b>" * 600_000 + "\n", "error[HB139]"),
}


def measure(src: Path) -> tuple[int, float, int, str]:
    """(exit code, CPU seconds, peak MiB, output) of `handbook check src` in a child."""
    args = (sys.executable, "-m", "handbook_gen", "check", str(src), "--no-cache")
    out = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True,
                         text=True, check=True, timeout=900).stdout
    return tuple(json.loads(out))


@pytest.mark.parametrize("case", CASES)
def test_pathological_markdown_is_bounded(tmp_path, case):
    text, expected = CASES[case]
    src = tmp_path / "policies"
    for rel, content in {"_handbook.yaml": HANDBOOK_YAML,
                         "01-general/_chapter.md": "---\ntitle: 总则\n---\n",
                         "01-general/a.md": policy("GN-001", body=text)}.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(content, encoding="utf-8")
    code, cpu, rss, output = measure(src)
    assert rss < MAX_MIB, f"{rss} MiB"
    assert cpu < MAX_CPU, f"{cpu:.2f} s CPU"
    assert "Traceback" not in output, output
    if expected:
        assert code == 1 and expected in output, output
    else:
        assert code == 0, output
