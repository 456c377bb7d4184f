"""Accuracy on real reports: the extractor against hand labels of the real development corpus
(../shared/corpus/real, labels in tests/real/). Prints each metadata field's accuracy, figure
precision / recall / F1 by era and by form, table-cell accuracy by form, and every miss and
wrong value with its file and metric.

    python -m bench accuracy            (make accuracy)
    python -m bench accuracy --check    (validate the labels only)
    python -m bench accuracy --floor    (record today's numbers as the suite's floor, tests/real/floor.json)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cn2an

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "real"
FLOOR = LABELS / "floor.json"
METADATA_FIELDS = ("agency", "region_code", "year", "era", "published_at", "period")
_SPAN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?[万亿]?|[零〇一二两三四五六七八九十百千万亿]+")
_ABSENCE = re.compile(r"未|无|無|没有|沒有|零|不|免|0")
_CATEGORY_NOISE = re.compile(r"[\s\"'“”‘’《》()（）:：,，、.。;；]|类$|信息$|方面$|等$|的$")


def corpus_folder() -> Path | None:
    """The real corpus: $XXGK_REAL_CORPUS, $XXGK_CORPUS/real, or ../shared/corpus/real."""
    places = [os.environ.get("XXGK_REAL_CORPUS"),
              os.environ.get("XXGK_CORPUS") and Path(os.environ["XXGK_CORPUS"]) / "real",
              REPO.parent / "shared" / "corpus" / "real"]
    return next((Path(p) for p in places if p and (Path(p) / "sources.json").exists()), None)


def schema_metrics() -> set[str]:
    """Every metric key SCHEMA.md defines (the archive's table of their names)."""
    from archive.labels import METRICS

    return set(METRICS)


# --- the labels --------------------------------------------------------------------------------

class LabelError(ValueError):
    """A label file that does not fit the format or the shared file it describes."""


def load_labels(corpus: Path) -> list[dict]:
    """Every label file, checked against its shared file (sha256, offsets, spans)."""
    sources = {s["file"]: s for s in json.loads((corpus / "sources.json").read_text(encoding="utf-8"))}
    labels, problems = [], []
    for path in sorted(LABELS.glob("*.labels.json")):
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
            _validate(label, corpus, sources)
        except (LabelError, ValueError, KeyError, TypeError) as err:
            problems.append(f"{path.name}: {err}")
            continue
        label["form"] = sources[label["file"]]["form"]
        labels.append(label)
    if problems:
        raise LabelError("labels that do not fit their files:\n  " + "\n  ".join(problems))
    return labels


def _validate(label: dict, corpus: Path, sources: dict) -> None:
    name = label["file"]
    if name not in sources:
        raise LabelError(f"{name} is not in sources.json")
    data = (corpus / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != label["sha256"]:
        raise LabelError(f"{name} changed since it was labelled (sha256 differs)")
    text = data.decode("utf-8")
    if label["era"] not in ("free_text", "tables_2019", "tables_2021"):
        raise LabelError(f"era {label['era']!r}")
    known = schema_metrics()
    for f in label.get("figures", []):
        if f["metric"] not in known:
            raise LabelError(f"unknown metric {f['metric']!r}")
        if f["qualifier"] not in ("exact", "approx", "at_least", "at_most", "derived"):
            raise LabelError(f"qualifier {f['qualifier']!r}")
        span = _span(text, f)
        if not _holds(span, f["value"], f.get("unit")):
            raise LabelError(f"figure {f['metric']}={f['value']} at {f['start']}:{f['end']}: span {span!r} "
                             "does not hold that number")
    for c in label.get("cells", []):
        span = _span(text, c)
        if c["table"] not in ("table3", "table4"):
            raise LabelError(f"cell table {c['table']!r}")
        digits = re.sub(r"\D", "", span)
        if c["value"] is not None and not _holds(span, c["value"], None) and _plain(c["value"]) not in digits:
            raise LabelError(f"cell {c['row']}/{c['column']} at {c['start']}:{c['end']}: {span!r} is not {c['value']}")


def _plain(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _span(text: str, item: dict) -> str:
    start, end = item["start"], item["end"]
    if not (0 <= start < end <= len(text)):
        raise LabelError(f"offsets {start}:{end} outside the file ({len(text)} characters)")
    return text[start:end]


def _holds(span: str, value, unit) -> bool:
    """Whether a labelled span states `value` (an absence: a word saying none)."""
    if value == 0 and unit is None and _ABSENCE.search(span):
        return True
    for raw in _SPAN_NUMBER.findall(span.replace(" ", "")):
        for number in _readings(raw):
            if number in (value, value / 10_000, value / 100_000_000):
                return True
    return False


def _readings(raw: str) -> list[float]:
    multiplier = {"万": 10_000, "亿": 100_000_000}.get(raw[-1], 1)
    digits = raw.rstrip("万亿") if raw[0].isdigit() else raw
    try:
        number = float(digits.replace(",", "")) if digits[0].isdigit() else float(cn2an.cn2an(digits, "smart"))
    except (ValueError, KeyError, IndexError):
        return []
    return [number, number * multiplier] if raw[0].isdigit() else [number]


# --- scoring -----------------------------------------------------------------------------------

@dataclass
class Score:
    """Counts behind every figure `report` prints."""
    fields: dict = field(default_factory=lambda: defaultdict(Counter))      # field → right/scored
    figures: dict = field(default_factory=lambda: defaultdict(Counter))     # group → tp/fp/fn
    cells: dict = field(default_factory=lambda: defaultdict(Counter))       # form → right/wrong/scored
    misses: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    def precision(self, group="all") -> float:
        c = self.figures[group]
        return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0

    def recall(self, group="all") -> float:
        c = self.figures[group]
        return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0

    def f1(self, group="all") -> float:
        p, r = self.precision(group), self.recall(group)
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self, name: str) -> float:
        c = self.fields[name]
        return c["right"] / c["scored"] if c["scored"] else 1.0

    def cell_accuracy(self, form="all") -> float:
        c = self.cells[form]
        return c["right"] / c["scored"] if c["scored"] else 1.0


def run(corpus: Path | None = None) -> Score:
    """Extract every labelled file and score it."""
    from extract import ExtractError, extract_file

    corpus = corpus or corpus_folder()
    if corpus is None:
        raise SystemExit("the real corpus is not here: set XXGK_REAL_CORPUS (or XXGK_CORPUS) to its folder")
    score = Score()
    for label in load_labels(corpus):
        try:
            record = extract_file(corpus / label["file"]).to_dict()
        except ExtractError as err:
            score.failures.append(f"{label['file']}: {err.reason}")
            record = None
        _score_fields(score, label, record)
        _score_figures(score, label, record)
        _score_cells(score, label, record)
    return score


def _predicted_fields(record: dict | None) -> dict:
    if record is None:
        return {}
    period = [record["period_start"], record["period_end"]] if record["period_start"] else None
    return {"agency": record["agency"], "region_code": record["region"]["code"], "year": record["year"],
            "era": record["era"], "published_at": record["published_at"], "period": period}


def _score_fields(score: Score, label: dict, record: dict | None) -> None:
    got = _predicted_fields(record)
    for name in METADATA_FIELDS:
        if name in label.get("ambiguous", {}):
            continue
        want = label.get(name)
        right = _field_right(name, want, got.get(name))
        score.fields[name]["scored"] += 1
        score.fields[name]["right"] += right
        if not right:
            score.misses.append(f"{label['file']}: {name}: expected {want!r}, got {got.get(name)!r}")


def _field_right(name: str, want, got) -> bool:
    accepted = want if isinstance(want, list) and name != "period" else [want]
    if name == "period" and want and isinstance(want[0], list):
        accepted = want
    for value in accepted:
        if name == "published_at" and value and got:
            if got[:len(value)] == value:
                return True
        elif name == "agency" and value and got:
            if re.sub(r"\s", "", value) == re.sub(r"\s", "", got):
                return True
        elif value == got:
            return True
    return False


def _category(text: str | None) -> str:
    if not text:
        return ""
    from extract.normalize import traditional_to_simplified

    text = traditional_to_simplified(text)
    previous = None
    while previous != text:
        previous, text = text, _CATEGORY_NOISE.sub("", text)
    return text


def _same_category(a: str | None, b: str | None) -> bool:
    a, b = _category(a), _category(b)
    if not a or not b:
        return a == b
    return a == b or (min(len(a), len(b)) >= 2 and (a in b or b in a))


def _figure_key(f: dict) -> tuple:
    return f["metric"], _category(f.get("category")), float(f["value"]), f["qualifier"]


def _distinct(figures: list[dict]) -> list[dict]:
    seen, kept = set(), []
    for f in figures:
        key = _figure_key(f)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _score_figures(score: Score, label: dict, record: dict | None) -> None:
    gold = _distinct(label.get("figures", []))
    predicted = _distinct(record["figures"] if record else [])
    unmatched = list(predicted)
    missed = []
    for want in gold:
        hit = next((f for f in unmatched if f["metric"] == want["metric"]
                    and _same_category(f.get("category"), want.get("category"))
                    and float(f["value"]) == float(want["value"]) and f["qualifier"] == want["qualifier"]), None)
        if hit is not None:
            unmatched.remove(hit)
            if not want.get("optional"):
                _count(score, label, "tp")
        elif not want.get("optional"):     # a reading the text allows but does not require
            missed.append(want)
            _count(score, label, "fn")
    for got in unmatched:
        _count(score, label, "fp")
    for want in missed:
        wrong = next((f for f in unmatched if f["metric"] == want["metric"]
                      and _same_category(f.get("category"), want.get("category"))), None)
        if wrong is not None:
            unmatched.remove(wrong)
            score.misses.append(f"{label['file']}: wrong {_show(want)}: got {wrong['value']} {wrong['qualifier']} "
                                f"from {wrong['evidence'][:50]!r}")
        else:
            score.misses.append(f"{label['file']}: missed {_show(want)}")
    for got in unmatched:
        score.misses.append(f"{label['file']}: extra {_show(got)} from {got['evidence'][:50]!r}")


def _show(f: dict) -> str:
    category = f"[{f['category']}]" if f.get("category") else ""
    qualifier = "" if f["qualifier"] == "exact" else f" {f['qualifier']}"
    return f"{f['metric']}{category} = {f['value']}{qualifier}"


def _count(score: Score, label: dict, what: str) -> None:
    for group in ("all", f"era:{label['era']}", f"form:{label['form']}"):
        score.figures[group][what] += 1


def _score_cells(score: Score, label: dict, record: dict | None) -> None:
    gold = {(c["table"], c["row"], c["column"]): c["value"] for c in label.get("cells", [])}
    got = {}
    if record:
        got.update({("table3", c["row"], c["applicant"]): c["value"] for c in record["request_cells"]})
        got.update({("table4", c["kind"], c["outcome"]): c["value"] for c in record["appeal_cells"]})
    extra = {key: value for key, value in got.items() if key not in gold and value is not None}
    for form in ("all", label["form"]):
        counts = score.cells[form]
        counts["scored"] += len(gold) + len(extra)
        counts["right"] += sum(1 for key, value in gold.items() if key in got and _same_value(got[key], value))
    for key, value in gold.items():
        if key not in got or not _same_value(got[key], value):
            score.misses.append(f"{label['file']}: cell {'/'.join(key)}: expected {value}, got "
                                f"{got[key] if key in got else 'no cell'}")
    for key, value in extra.items():
        score.misses.append(f"{label['file']}: extra cell {'/'.join(key)} = {value}")


def _same_value(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and float(a) == float(b))


# --- the report --------------------------------------------------------------------------------

def summary(score: Score) -> dict:
    """The headline numbers (what the floor guards)."""
    groups = sorted(g for g in score.figures if g != "all")
    return {
        "fields": {name: round(score.field_accuracy(name), 4) for name in METADATA_FIELDS},
        "figures": {group: {"precision": round(score.precision(group), 4), "recall": round(score.recall(group), 4),
                            "f1": round(score.f1(group), 4), **score.figures[group]}
                    for group in ["all", *groups]},
        "cells": {form: {"accuracy": round(score.cell_accuracy(form), 4), **score.cells[form]}
                  for form in sorted(score.cells)},
    }


def report(score: Score) -> str:
    """What `python -m bench accuracy` prints."""
    s = summary(score)
    lines = ["Accuracy on the real development corpus (labels: tests/real/)", "", "metadata fields:"]
    for name in METADATA_FIELDS:
        c = score.fields[name]
        lines.append(f"  {name:<13} {s['fields'][name]:.3f}  ({c['right']}/{c['scored']})")
    lines += ["", "figures:            precision  recall     F1    (tp / fp / fn)"]
    for group, v in s["figures"].items():
        lines.append(f"  {group:<18} {v['precision']:.3f}   {v['recall']:.3f}   {v['f1']:.3f}   "
                     f"({v.get('tp', 0)} / {v.get('fp', 0)} / {v.get('fn', 0)})")
    lines += ["", "table cells:"]
    for form, v in s["cells"].items():
        lines.append(f"  {form:<18} {v['accuracy']:.3f}  ({v['right']}/{v['scored']})")
    if score.failures:
        lines += ["", f"documents not extracted ({len(score.failures)}):", *(f"  {f}" for f in score.failures)]
    lines += ["", f"misses and wrong values ({len(score.misses)}):", *(f"  {m}" for m in score.misses)]
    return "\n".join(lines)


def headline(s: dict) -> dict:
    """The numbers the floor guards: each metadata field, figures overall, table cells overall."""
    figures = s["figures"]["all"]
    return {**{f"field {name}": value for name, value in s["fields"].items()},
            "figures precision": figures["precision"], "figures recall": figures["recall"], "figures f1": figures["f1"],
            "cells accuracy": s["cells"].get("all", {}).get("accuracy", 1.0)}


def against_floor(s: dict, floor: dict) -> list[tuple[str, float, float]]:
    """(name, value now, floor) for every number the floor records."""
    now = headline(s)
    return [(name, now[name], minimum) for name, minimum in floor.items()]


def write_floor(score: Score) -> str:
    """Record today's numbers as the floor (rounded down), for the suite's guard."""
    floor = {name: math.floor(value * 1000) / 1000 for name, value in headline(summary(score)).items()}
    FLOOR.write_text(json.dumps(floor, indent=2) + "\n", encoding="utf-8")
    return f"floor written to {FLOOR.relative_to(REPO)}: " + ", ".join(f"{k} {v}" for k, v in floor.items())


def check() -> str:
    """Validate the labels only."""
    corpus = corpus_folder()
    if corpus is None:
        raise SystemExit("the real corpus is not here: set XXGK_REAL_CORPUS (or XXGK_CORPUS) to its folder")
    labels = load_labels(corpus)
    figures = sum(len(l.get("figures", [])) for l in labels)
    cells = sum(len(l.get("cells", [])) for l in labels)
    return f"{len(labels)} label files fit their documents: {figures} figures, {cells} table cells"
