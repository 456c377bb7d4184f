"""Generalisation over a copy's form: every labelled text document of the real corpus written
again in other text forms (its whitespace and `|` taken out so that everything runs together,
one cell per line, `|` taken out, blank lines between lines, tabs, traditional script, full-width
digits), extracted again and scored against the same labels. A reader built on the format, not on one copy's line breaks, keeps its cells
and figures in every form; a wrong value in any form is a defect (a missing one, warned of, is
a gap; tests/test_real_accuracy.py fails on a wrong one the published text does not have).

    python -m bench reflow        (make reflow)

HTML documents are left out (their markup is no text form). The development part's wrong
values are listed; the check part is only scored, as in `make accuracy`."""

from __future__ import annotations

import re
from collections import Counter

from bench import accuracy

_SPACE = r"[ \t\u3000\xa0]"
# Each form: how a text copy's lines and separators are rewritten.
FORMS = {
    "as published": lambda text: text,
    "all run together": lambda text: re.sub(r"[\s|]+", "", text),
    "one cell per line": lambda text: re.sub(rf"(?:{_SPACE}|\|)*\n[\s|]*|{_SPACE}*\|(?:{_SPACE}|\|)*|{_SPACE}+",
                                             "\n", text),
    "no | separators": lambda text: text.replace("|", " "),
    "| without spaces": lambda text: re.sub(rf"{_SPACE}*\|{_SPACE}*", "|", text),
    "blank lines": lambda text: text.replace("\n", "\n\n"),
    "tabs": lambda text: re.sub(rf"{_SPACE}+", "\t", text),
    "traditional script": lambda text: _traditional().convert(text),
    "full-width digits": lambda text: text.translate(_FULL_WIDTH),
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _traditional():
    import opencc

    return opencc.OpenCC("s2t")


def run() -> dict:
    """Scores by form and part ({form: {part: accuracy.Score}}), the wrong values (cells and
    figures) of each part in each form ({part: {form: ["file: …"]}}) and how many documents each
    part has."""
    from extract import ExtractError, extract_bytes

    folders = accuracy.folders_or_exit()
    parts = accuracy.split_parts()
    labels = [label for label in accuracy.load_labels(folders) if label["form"] != "html"]
    scores = {form: {part: accuracy.Score() for part in accuracy.PARTS} for form in FORMS}
    wrong = {part: {form: [] for form in FORMS} for part in accuracy.PARTS}
    for label in labels:
        part = parts.get(label["file"])
        if part is None:
            continue
        text = label["path"].read_text(encoding="utf-8")
        for form, rewrite in FORMS.items():
            try:
                record = extract_bytes(rewrite(text).encode("utf-8"), name=label["file"]).to_dict()
            except ExtractError:
                record = None
            score = scores[form][part]
            before = len(score.misses)
            accuracy.score_figures(score, label, record)
            accuracy.score_cells(score, label, record)
            wrong[part][form] += [miss for miss in score.misses[before:] if ": wrong " in miss]
            if record:
                wrong[part][form] += [f"{label['file']}: {miss}" for miss in _wrong_cells(label, record)]
    return {"scores": scores, "wrong": wrong, "documents": Counter(parts.get(label["file"]) for label in labels)}


def _wrong_cells(label: dict, record: dict) -> list[str]:
    """Cells read with another value than the label's (a null where a number is due is a gap, not wrong)."""
    got = {("table3", c["row"], c["applicant"]): c["value"] for c in record["request_cells"]}
    got |= {("table4", c["kind"], c["outcome"]): c["value"] for c in record["appeal_cells"]}
    return [f"cell {'/'.join(key)}: expected {cell['value']}, got {got[key]}"
            for cell in label.get("cells", []) for key in [(cell["table"], cell["row"], cell["column"])]
            if got.get(key) is not None and not accuracy.same_value(got[key], cell["value"])]


def report(result: dict) -> str:
    scores, documents = result["scores"], result["documents"]
    heading = "".join(f"{f'{part} ({documents[part]})':>34}" for part in accuracy.PARTS)
    lines = ["The real corpus's text documents in other text forms (labels: tests/real/)", "",
             f"{'form':<20}{heading}", f"{'':<20}" + "".join(f"{'cells right':>17}{'figures P/R/F1':>17}"
                                                              for _ in accuracy.PARTS)]
    for form, by_part in scores.items():
        row = ""
        for part in accuracy.PARTS:
            score = by_part[part]
            cells = score.cells["all"]
            row += f"{cells['right']:>9}/{cells['scored']:<7}" + \
                f"{score.precision():.3f} {score.recall():.3f} {score.f1():.3f}".rjust(17)
        lines.append(f"{form:<20}{row}")
    development = [f"{form}: {w}" for form, found in result["wrong"]["development"].items() for w in found]
    check = {form: len(found) for form, found in result["wrong"]["check"].items()}
    lines += ["", f"wrong values in the development part ({len(development)}):", *(f"  {w}" for w in development),
              "wrong values in the check part, by form (not listed: it is only scored): "
              + ", ".join(f"{form} {n}" for form, n in check.items())]
    return "\n".join(lines)
