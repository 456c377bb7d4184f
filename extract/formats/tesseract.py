"""Where Tesseract's chi_sim model is, found without loading the engine (the crawl's summary
asks whether OCR is installed; OpenCV and Tesseract are loaded only when a scan is read), and
the confidence below which an OCR number is doubted (the archive's queries use it too)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

LOW_CONFIDENCE = 75             # an OCR number read below this (0-100) is named in the warnings
TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")


MODELS = ("chi_sim.traineddata", "eng.traineddata")     # the text's model, and the one digits are read with


def tessdata() -> str | None:
    """The folder of Tesseract's chi_sim and eng models (XXGK_TESSDATA, else Debian's), or None
    when OCR is not installed (a model missing, or no tesserocr)."""
    configured = os.environ.get("XXGK_TESSDATA")
    if importlib.util.find_spec("tesserocr") is None:
        return None
    return next((folder for folder in ([configured] if configured else TESSDATA)
                 if all(Path(folder, model).is_file() for model in MODELS)), None)
