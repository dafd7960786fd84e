"""Every test file under tests/ is collected by a plain `pytest` (what `make test` runs):
pytest skips folders named like build output (norecursedirs: build, dist, …), so a test
folder with such a name would silently never run."""
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_file_is_collected():
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", "-m", "", str(TESTS)],
                         cwd=TESTS.parent, capture_output=True, text=True)
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    files = {p.relative_to(TESTS.parent).as_posix() for p in TESTS.rglob("test_*.py")}
    assert files - collected == set(), run.stdout[-2000:] + run.stderr[-2000:]
