"""handbook-gen: a static-site generator for Chinese policy handbooks (制度汇编)."""
from pathlib import Path

__version__ = "0.1.0"


def builtin_theme_dir() -> Path:
    """The built-in theme: packaged as handbook_gen/templates in a wheel, or the
    repository's top-level templates/ when running from a source checkout."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"
