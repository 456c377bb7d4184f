"""Extraction: one annual-report document (bytes or a file) → one record (SCHEMA.md).

    from extract import extract_file, extract_bytes, ExtractError
    record = extract_file("report.html").to_dict()
"""

__version__ = "0.1.0"

from .errors import ExtractError  # noqa: E402
from .record import Report  # noqa: E402
from .report import extract_bytes, extract_file  # noqa: E402

__all__ = ["extract_bytes", "extract_file", "ExtractError", "Report", "__version__"]
