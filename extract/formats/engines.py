"""Optional programs some formats need: a document that needs one that is missing fails with
`ExtractError(needs=ENGINE)`, stays archived, and is read by the first run that finds the
program installed."""

from __future__ import annotations

from collections.abc import Callable

from .libreoffice import soffice
from .tesseract import tessdata

# engine: (whether it is installed now, what it reads, how to install it)
ENGINES: dict[str, tuple[Callable[[], str | None], str, str]] = {
    "LibreOffice": (soffice, "DOC/WPS/RTF documents",
                    "apt-get install libreoffice-writer-nogui, or set XXGK_SOFFICE to the soffice program"),
    "Tesseract": (tessdata, "scans (image-only PDF pages, JPG/PNG/TIFF/BMP pictures) by OCR",
                  "apt-get install tesseract-ocr tesseract-ocr-chi-sim, or set XXGK_TESSDATA to a folder holding "
                  "chi_sim.traineddata and eng.traineddata"),
}


# How a failure's reason said an engine was missing before failures were classified by the
# program they need (SQL LIKE patterns): archives of that time still hold such failures.
SAID_BEFORE = {"LibreOffice": "needs LibreOffice%", "Tesseract": "%needs OCR%"}


def needs(engine: str) -> str:
    """The failure classification of a document that needs `engine` (`needs_libreoffice`)."""
    return "needs_" + engine.lower()


def engine_needed(classification: str) -> str | None:
    """The engine a failure classification says is missing, or None."""
    return next((engine for engine in ENGINES if needs(engine) == classification), None)


def installed(engine: str) -> bool:
    return ENGINES[engine][0]() is not None
