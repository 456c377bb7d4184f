"""Extraction: one annual-report document (bytes or a file) → one record (SCHEMA.md).

    from extract import extract_file, extract_bytes, ExtractError
    record = extract_file("report.html").to_dict()
"""

__version__ = "0.1.0"

from .errors import ExtractError  # noqa: E402
from .record import Report  # noqa: E402


def __getattr__(name: str):
    """extract_bytes and extract_file, imported when first asked for: a command that needs only
    `extract.years` or `extract.regions` does not load the whole extractor."""
    if name in ("extract_bytes", "extract_file"):
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")


__all__ = ["extract_bytes", "extract_file", "ExtractError", "Report", "__version__"]
