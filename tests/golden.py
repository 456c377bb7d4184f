"""Golden files: tests/examples/<case>.<ext> beside <case>.expected.json.

Regenerate one expected file on purpose (never silently), then review `git diff`:

    make golden CASE=<case>         or   python -m tests.golden <case> [<case> ...]
    python -m tests.golden --all    (every case)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extract import extract_file

EXAMPLES = Path(__file__).parent / "examples"
INPUT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def cases() -> list[str]:
    """Every case that has an input document."""
    return sorted(p.stem for p in EXAMPLES.iterdir() if p.suffix in INPUT_SUFFIXES)


def input_path(case: str) -> Path:
    return next(EXAMPLES / f"{case}{s}" for s in INPUT_SUFFIXES if (EXAMPLES / f"{case}{s}").exists())


def expected_path(case: str) -> Path:
    return EXAMPLES / f"{case}.expected.json"


def actual_record(case: str) -> dict:
    """The record the extractor gives now, in the form the expected files keep."""
    path = input_path(case)
    record = extract_file(path).to_dict()
    record["document"]["name"] = path.name          # not the machine's absolute path
    record.pop("extractor_version")
    return record


def expected_record(case: str) -> dict:
    return json.loads(expected_path(case).read_text(encoding="utf-8"))


def differences(expected: dict, actual: dict) -> list[str]:
    """Readable differences between two records: fields, then missing and extra figures."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        if key in ("figures", "text"):
            continue
        if expected.get(key) != actual.get(key):
            lines.append(f"{key}: expected {expected.get(key)!r}, got {actual.get(key)!r}")
    if expected.get("text") != actual.get("text"):
        lines.append("text differs")
    as_key = lambda f: json.dumps(f, ensure_ascii=False, sort_keys=True)  # noqa: E731
    want = [as_key(f) for f in expected.get("figures", [])]
    got = [as_key(f) for f in actual.get("figures", [])]
    lines += [f"missing figure {f}" for f in want if f not in got]
    lines += [f"extra figure {f}" for f in got if f not in want]
    if not lines[-1:] and want != got:
        lines.append("figures are in a different order")
    return lines


def regenerate(case: str) -> list[str]:
    """Rewrite one expected file from the current extractor; return what changed."""
    actual = actual_record(case)
    path = expected_path(case)
    changes = differences(expected_record(case), actual) if path.exists() else ["new expected file"]
    path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return changes


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    chosen = cases() if argv == ["--all"] else argv
    unknown = [c for c in chosen if c not in cases()]
    if unknown:
        print(f"no such case: {', '.join(unknown)} (cases: {', '.join(cases())})")
        return 2
    for case in chosen:
        changes = regenerate(case)
        print(f"{case}: {'unchanged' if not changes else f'{len(changes)} change(s)'}")
        for line in changes:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
