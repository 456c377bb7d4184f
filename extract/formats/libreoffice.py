"""DOC, WPS and RTF reports, converted to DOCX by LibreOffice in headless mode (LibreOffice
tells Word, Kingsoft WPS and Works files apart by their content). Without LibreOffice the
document fails with a clear "needs LibreOffice" reason; its raw bytes stay archived, so
`xxgk reextract` reads it once LibreOffice is installed (Debian/Ubuntu:
`apt-get install libreoffice-writer-nogui`; or set XXGK_SOFFICE to the soffice program)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ExtractError

TIMEOUT_SECONDS = 120
NEEDS_LIBREOFFICE = ("needs LibreOffice to read DOC/WPS/RTF documents (not found: install "
                     "libreoffice-writer-nogui, or set XXGK_SOFFICE to the soffice program)")


def soffice() -> str | None:
    """The soffice program to use, or None when LibreOffice is not installed."""
    configured = os.environ.get("XXGK_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() and os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes) -> bytes:
    """The document converted to DOCX bytes; ExtractError when LibreOffice is missing or fails."""
    program = soffice()
    if program is None:
        raise ExtractError(NEEDS_LIBREOFFICE, needs="LibreOffice")
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as folder:
        work = Path(folder)
        source = work / "document.bin"        # no suffix of ours: LibreOffice detects the format
        source.write_bytes(data)
        profile = (work / "profile").as_uri()  # a profile of its own: conversions can run in parallel
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractError(f"LibreOffice did not convert the document in {TIMEOUT_SECONDS} s") from None
        except OSError as err:
            raise ExtractError(f"LibreOffice could not be started: {err}") from None
        converted = work / "out" / "document.docx"
        if not converted.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise ExtractError("LibreOffice could not read the document"
                               + (f": {said[-1]}" if said else f" (exit code {done.returncode})"))
        return converted.read_bytes()
