"""Every diagnostic code is documented, with its default severity."""
from pathlib import Path

from handbook_gen.core.diagnostics import CODES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md").read_text("utf-8")


def test_every_code_documented_with_its_severity():
    for code, (severity, name) in CODES.items():
        assert f"| {code} | {severity.label} | {name} |" in DOC, code
