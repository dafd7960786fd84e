"""The layering contract in pyproject.toml ([tool.importlinter]) holds, and it is not
vacuous: one import from a low layer up into a high one breaks it."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint(src: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(linter), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=src, capture_output=True, text=True,
                          env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})


def test_the_package_keeps_its_layers():
    run = _lint(ROOT / "src")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_an_import_back_up_the_layers_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "src" / "handbook_gen", tmp_path / "handbook_gen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    numerals = tmp_path / "handbook_gen" / "core" / "numerals.py"
    numerals.write_text(numerals.read_text() + "\n\ndef _late():\n"
                        "    from handbook_gen.serve import live  # noqa: F401\n")
    run = _lint(tmp_path)
    assert run.returncode != 0
    assert "handbook_gen.core.numerals -> handbook_gen.serve.live" in run.stdout
