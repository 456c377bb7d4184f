"""Generalisation over a copy's form: every labelled text document of the real corpus written
again in other text forms (its whitespace and `|` taken out so that everything runs together,
one cell per line, `|` taken out, blank lines between lines, tabs, traditional script,
full-width digits, every line broken at 28 or 40 characters), extracted again and scored against the same labels. A reader built on the
format, not on one copy's line breaks, keeps its cells and figures in every form. A value read
wrong in a form whose published text reads it right (a cell or figure with another value, a
cell the label has not) is a defect, and tests/test_real_accuracy.py fails on it; one left
unread, warned of, is a gap.

    python -m bench reflow        (make reflow)

HTML documents are left out (their markup is no text form). What the development part reads
wrong is listed; the check part is only scored, as in `make accuracy`."""

from __future__ import annotations

import functools
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
    "wrapped at 28": lambda text: _wrapped(text, 28),
    "wrapped at 40": lambda text: _wrapped(text, 40),
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _wrapped(text: str, width: int) -> str:
    """Every line broken every `width` characters, as a copy of a PDF's text breaks it at the
    page's width (inside words and numbers)."""
    return "\n".join(line[i:i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width))


@functools.cache
def _traditional():
    import opencc

    return opencc.OpenCC("s2t")


def run(forms: tuple[str, ...] = tuple(FORMS)) -> dict:
    """Scores by form and part ({form: {part: accuracy.Score}}; each Score's `wrong` holds what was
    read with another value than the label's) and how many documents each part has."""
    from extract import ExtractError, extract_bytes

    folders = accuracy.folders_or_exit()
    parts = accuracy.split_parts()
    labels = [label for label in accuracy.load_labels(folders) if label["form"] != "html"]
    scores = {form: {part: accuracy.Score() for part in accuracy.PARTS} for form in forms}
    for label in labels:
        part = parts.get(label["file"])
        if part is None:
            continue
        text = label["path"].read_text(encoding="utf-8")
        for form in forms:
            try:
                record = extract_bytes(FORMS[form](text).encode("utf-8"), name=label["file"]).to_dict()
            except ExtractError:
                record = None
            accuracy.score_figures(scores[form][part], label, record)
            accuracy.score_cells(scores[form][part], label, record)
    return {"scores": scores, "documents": Counter(parts.get(label["file"]) for label in labels)}


def newly_wrong(result: dict, part: str) -> dict[str, set]:
    """What each form reads wrong that the published text reads right: {form: {(file, what)}}."""
    scores = result["scores"]
    published = scores["as published"][part].wrong
    return {form: by_part[part].wrong - published for form, by_part in scores.items() if by_part[part].wrong - published}


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
    development = newly_wrong(result, "development")
    check = newly_wrong(result, "check")
    lines += ["", "read wrong in another form, right as published, development part: "
              f"{sum(map(len, development.values()))}",
              *(f"  {form}: {file}: {what}" for form, found in development.items() for file, what in sorted(found)),
              "the same in the check part (not listed: it is only scored): "
              + (", ".join(f"{form} {len(found)}" for form, found in check.items()) or "none")]
    return "\n".join(lines)
