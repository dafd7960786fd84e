"""Shim so `python build.py …` works on a fresh checkout without installing.

It puts src/ on sys.path and delegates to handbook_gen.cli:main; no logic lives here.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from handbook_gen.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
