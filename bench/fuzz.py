"""Fuzzing the extract entry point with atheris (coverage-guided, libFuzzer's engine), not in CI:

    make fuzz MINUTES=5          (or: .venv/bin/python -m bench.fuzz --minutes 5)

The first byte of an input picks the file name's suffix, the rest are the document's bytes. Seeds
are the test suite's documents in every format. Any exception other than ExtractError is a
finding: the input is saved to tests/fuzz_corpus/ (where the test suite runs it ever after) and
the fuzzing goes on. libFuzzer's own limits catch hangs (-timeout) and memory growth
(-rss_limit_mb). At the end: run time, inputs tried, findings, peak memory."""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

SUFFIXES = (".html", ".txt", ".pdf", ".docx", ".doc", ".wps", ".rtf", ".xls", ".zip", "")
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fuzz_corpus"


def one_input(data: bytes) -> None:
    """The fuzz target: extract one input; anything but ExtractError is kept as a finding."""
    from extract import ExtractError, extract_bytes

    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    body = data[1:]
    try:
        extract_bytes(body, name=f"fuzz{suffix}")
    except ExtractError:
        pass
    except Exception:  # noqa: BLE001 - every other exception is what we are looking for
        name = f"{hashlib.sha1(body).hexdigest()[:16]}{suffix or '.bin'}"
        CORPUS.mkdir(exist_ok=True)
        (CORPUS / name).write_bytes(body)
        print(f"FINDING {name}: {traceback.format_exc(limit=3).strip().splitlines()[-1]}", flush=True)


def seeds(folder: Path) -> None:
    """The suite's documents as seeds, each behind the byte that names its suffix."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.table_reports import REPORT_2019, REPORT_2020, docx_bytes, flattened_page, html_page, pdf_bytes

    documents = {".html": [html_page(REPORT_2019), flattened_page(REPORT_2020)],
                 ".pdf": [pdf_bytes(REPORT_2020)], ".docx": [docx_bytes(REPORT_2019)]}
    examples = Path(__file__).resolve().parents[1] / "tests" / "examples"
    documents[".txt"] = [p.read_bytes() for p in sorted(examples.glob("*.txt"))[:5]]
    for suffix, items in documents.items():
        for i, data in enumerate(items):
            (folder / f"seed-{suffix[1:]}-{i}").write_bytes(bytes([SUFFIXES.index(suffix)]) + data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--engine", action="store_true", help=argparse.SUPPRESS)   # the fuzzing process itself
    args = parser.parse_args()
    if args.engine:
        _fuzz(args.minutes)
        return
    before = _inputs()
    done = subprocess.run([sys.executable, "-m", "bench.fuzz", "--engine", "--minutes", str(args.minutes)],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True)
    log = done.stdout + done.stderr
    runs = re.search(r"Done (\d+) runs in (\d+) second", log)
    peak = re.search(r"stat::peak_rss_mb:\s*(\d+)", log)
    new = sorted(_inputs() - before)
    print(f"fuzzing: {runs.group(2) if runs else '?'} s, {int(runs.group(1)) if runs else 0:,} inputs tried, "
          f"{len(new)} findings saved to {CORPUS}, peak memory {peak.group(1) if peak else '?'} MiB"
          + ("" if done.returncode == 0 else f" (the engine stopped with {done.returncode}: a hang or memory limit; "
             f"see its log below)"))
    for line in log.splitlines():
        if line.startswith(("FINDING", "==", "SUMMARY")):
            print("  " + line)


def _inputs() -> set[Path]:
    return {p for p in CORPUS.glob("*") if p.name != "README.md"}


def _fuzz(minutes: float) -> None:
    import atheris

    logging.disable(logging.WARNING)                 # pdfminer's complaints about broken fonts
    with atheris.instrument_imports():
        import extract  # noqa: F401  (instrumented for coverage)
        import extract.formats.docx, extract.formats.pdf, extract.tables  # noqa: F401,E401
    folder = Path(tempfile.mkdtemp(prefix="xxgk-fuzz-"))
    seeds(folder)
    atheris.Setup([sys.argv[0], str(folder), f"-max_total_time={int(minutes * 60)}", "-timeout=30",
                   "-rss_limit_mb=3072", "-max_len=262144", "-print_final_stats=1"], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
