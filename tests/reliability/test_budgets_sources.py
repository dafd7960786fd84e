"""CPU and memory budgets for reading pathological sources: a 3 GiB sparse file named
*.md (it used to be read completely before the 2 MiB check: 3.1 GB), and the same size
as `_handbook.yaml`. Each case runs `check` as the child of a driver process, which
reports the child's resource usage (RUSAGE_CHILDREN: CPU seconds and peak memory,
never wall time). Measured on an idle machine: about 0.3 s CPU and 45 MiB, the same as
for a handbook without the file."""
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
GIB3 = 3 * 1024 ** 3
MAX_MIB = 100
MAX_CPU = 2.0


def measure(src: Path) -> tuple[int, float, int, str]:
    """(exit code, CPU seconds, peak MiB, output) of `handbook check src` in a child."""
    args = (sys.executable, "-m", "handbook_gen", "check", str(src), "--no-cache")
    out = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True,
                         text=True, check=True, timeout=900).stdout
    return tuple(json.loads(out))


def handbook(tmp_path: Path) -> Path:
    src = tmp_path / "policies"
    for rel, text in {"_handbook.yaml": HANDBOOK_YAML,
                      "01-general/_chapter.md": "---\ntitle: 总则\n---\n",
                      "01-general/a.md": policy("GN-001")}.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    return src


@pytest.mark.parametrize("rel", ["01-general/huge.md", "_handbook.yaml"])
def test_sparse_3gib_file_costs_nothing(tmp_path, rel):
    src = handbook(tmp_path)
    with open(src / rel, "wb") as fh:
        fh.truncate(GIB3)  # sparse: no disk space
    code, cpu, rss, output = measure(src)
    assert code == 1, output
    assert f"policies/{rel}: error[HB004]: 文件大小为 {GIB3} 字节" in output, output
    assert rss < MAX_MIB, f"{rss} MiB"
    assert cpu < MAX_CPU, f"{cpu:.2f} s CPU"
