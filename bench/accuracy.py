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
import random
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


def corpus_folders() -> list[Path]:
    """Every folder of real reports that is here: those $XXGK_REAL_CORPUS names (several joined
    with os.pathsep), else `real`, `real-2`, `real-3` and `real-4` under $XXGK_CORPUS, ../shared/corpus
    and ../corpus (the texts stay outside the repository; each folder has its sources.json)."""
    named = os.environ.get("XXGK_REAL_CORPUS")
    if named:
        places = [Path(p) for p in named.split(os.pathsep) if p]
    else:
        bases = [os.environ.get("XXGK_CORPUS"), REPO.parent / "shared" / "corpus", REPO.parent / "corpus"]
        places = [Path(base) / name for base in bases if base for name in ("real", "real-2", "real-3", "real-4")]
    found = []
    for place in places:
        if (place / "sources.json").exists() and place.resolve() not in [f.resolve() for f in found]:
            found.append(place)
    return found


def folders_or_exit() -> list[Path]:
    folders = corpus_folders()
    if not folders:
        raise SystemExit("the real corpus is not here: put its folders (real, real-2, real-3, real-4) in "
                         "../shared/corpus or ../corpus beside the repository, or set XXGK_REAL_CORPUS "
                         f"(folders joined by {os.pathsep!r}) or XXGK_CORPUS to where they are")
    return folders


def schema_metrics() -> set[str]:
    """Every metric key SCHEMA.md defines (the archive's table of their names)."""
    from archive.labels import METRICS

    return set(METRICS)


# --- the labels --------------------------------------------------------------------------------

class LabelError(ValueError):
    """A label file that does not fit the format or the shared file it describes."""


def _sources(folders: list[Path]) -> list[tuple[Path, dict]]:
    """Every document the folders' sources.json files list, with its folder."""
    return [(folder, entry) for folder in folders
            for entry in json.loads((folder / "sources.json").read_text(encoding="utf-8"))]


def load_labels(folders: list[Path]) -> list[dict]:
    """Every label file whose document is in one of `folders`, checked against it (sha256,
    offsets, spans); each label gains `path` (its document) and `source` (its sources.json entry).
    A label whose document is in none of them is left out (`missing_documents` names them)."""
    sources = {}
    for folder, entry in _sources(folders):
        sources.setdefault(entry["file"], (folder, entry))
    labels, problems = [], []
    for path in sorted(LABELS.glob("*.labels.json")):
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
            if label["file"] not in sources:
                continue
            folder, entry = sources[label["file"]]
            _validate(label, folder / label["file"])
        except (LabelError, ValueError, KeyError, TypeError) as err:
            problems.append(f"{path.name}: {err}")
            continue
        label["form"], label["path"], label["source"] = entry["form"], folder / label["file"], entry
        labels.append(label)
    if problems:
        raise LabelError("labels that do not fit their files:\n  " + "\n  ".join(problems))
    return labels


def missing_documents(folders: list[Path]) -> list[str]:
    """Label files whose documents are in none of `folders`."""
    present = {entry["file"] for _, entry in _sources(folders)}
    return [path.name for path in sorted(LABELS.glob("*.labels.json"))
            if json.loads(path.read_text(encoding="utf-8"))["file"] not in present]


def _validate(label: dict, document: Path) -> None:
    name = label["file"]
    data = document.read_bytes()
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
    wrong: set = field(default_factory=set)     # (file, what): read with another value, or a cell the label has not

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


PARTS = ("development", "check")


def run(folders: list[Path] | None = None) -> dict[str, Score]:
    """Extract every labelled file and score it: over all of them ("all") and over each part of
    the split (tests/real/split.json): the part rules are written from, and the part only scored."""
    from extract import ExtractError, extract_file

    folders = folders or folders_or_exit()
    parts = split_parts()
    scores = {name: Score() for name in ("all", *PARTS, "unassigned")}
    scores |= {f"corpus:{folder.name}": Score() for folder in folders}
    for label in load_labels(folders):
        failure = None
        try:
            record = extract_file(label["path"]).to_dict()
        except ExtractError as err:
            record, failure = None, err.reason
        for score in (scores["all"], scores[parts.get(label["file"], "unassigned")],
                      scores[f"corpus:{label['path'].parent.name}"]):
            if failure:
                score.failures.append(f"{label['file']}: {failure}")
            _score_fields(score, label, record)
            score_figures(score, label, record)
            score_cells(score, label, record)
    return scores


# --- the split ---------------------------------------------------------------------------------

SPLIT = LABELS / "split.json"
CHECK_SHARE = 0.3


def split_parts() -> dict[str, str]:
    """Each labelled file's part: "development" or "check" (tests/real/split.json)."""
    if not SPLIT.exists():
        return {}
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    return {name: part for part in PARTS for name in split[part]}


def source_of(entry: dict) -> str:
    """What one source is, for the split: a repository, or a web host (a site and its copies
    of pages stay on one side)."""
    if entry.get("repo"):
        return f"repo:{entry['repo']}"
    if entry.get("url"):
        host = re.sub(r"^www\.|:\d+$", "", re.sub(r"^[a-z]+://", "", entry["url"]).split("/")[0].lower())
        return f"host:{host}"
    return f"file:{entry['file']}"


def assign_split(folders: list[Path] | None = None) -> str:
    """Put every labelled document not yet in tests/real/split.json into a part, and keep the
    parts already chosen: a source already split keeps its side; the other sources are drawn at
    random, province by province, into the check part until it holds CHECK_SHARE of the
    province's documents. Seeded, so that the draw is the same wherever it is run."""
    folders = folders or folders_or_exit()
    split = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {
        "method": f"by source (repository or web host), drawn at random province by province until the check "
                  f"part holds {CHECK_SHARE:.0%} of each province's documents; rules are written from the "
                  "development part's misses only", "seed": 20261206, "development": [], "check": []}
    parts = {name: part for part in PARTS for name in split[part]}
    entries = [label["source"] for label in load_labels(folders)]
    side = {source_of(e): parts[e["file"]] for e in entries if e["file"] in parts}
    new = [e for e in entries if e["file"] not in parts]
    for entry in new:
        if source_of(entry) in side:
            parts[entry["file"]] = side[source_of(entry)]
    by_province: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_province[entry.get("province") or "未知"].append(entry)
    for province, members in sorted(by_province.items()):
        rng = random.Random(f"{split['seed']} {province}")
        sources = sorted({source_of(e) for e in members if e["file"] not in parts})
        rng.shuffle(sources)
        for source in sources:
            in_check = sum(1 for e in members if parts.get(e["file"]) == "check")
            part = "check" if in_check < CHECK_SHARE * len(members) - 0.5 * rng.random() else "development"
            for entry in members:
                if source_of(entry) == source:
                    parts[entry["file"]] = part
    for part in PARTS:
        split[part] = sorted(name for name, p in parts.items() if p == part)
    SPLIT.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {part: len(split[part]) for part in PARTS}
    return (f"{len(new)} documents assigned; split written to {SPLIT.relative_to(REPO)}: "
            f"{counts['development']} development, {counts['check']} check "
            f"({counts['check'] / max(1, sum(counts.values())):.0%})")


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


def _same_category(a: str | None, b: str | None, channel: str | None = None) -> bool:
    """Whether a predicted category `a` is the labelled `b`: the same words (a trailing 类, 信息
    aside), one inside the other, or `b` the channel's short name that `a`, an outlet as
    written, falls under (政务新媒体 is a 其他 channel)."""
    if channel and b == channel:
        return True
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


def score_figures(score: Score, label: dict, record: dict | None) -> None:
    gold = _distinct(label.get("figures", []))
    predicted = _distinct(record["figures"] if record else [])
    unmatched = list(predicted)
    missed = []
    for want in gold:
        hit = next((f for f in unmatched if f["metric"] == want["metric"]
                    and _same_category(f.get("category"), want.get("category"), f.get("channel"))
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
                      and _same_category(f.get("category"), want.get("category"), f.get("channel"))), None)
        if wrong is not None:
            unmatched.remove(wrong)
            score.wrong.add((label["file"], _show(want)))
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
    for group in ("all", f"era:{label['era']}", f"form:{label['form']}", _extent(label)):
        score.figures[group][what] += 1


def _extent(label: dict) -> str:
    """Whether the text holds the whole report or its opening (its sources.json's `complete`)."""
    return "text:whole report" if label.get("source", {}).get("complete") else "text:opening"


def score_cells(score: Score, label: dict, record: dict | None) -> None:
    gold = {(c["table"], c["row"], c["column"]): c["value"] for c in label.get("cells", [])}
    got = {}
    if record:
        got.update({("table3", c["row"], c["applicant"]): c["value"] for c in record["request_cells"]})
        got.update({("table4", c["kind"], c["outcome"]): c["value"] for c in record["appeal_cells"]})
    extra = {key: value for key, value in got.items() if key not in gold and value is not None}
    for form in ("all", label["form"]):
        counts = score.cells[form]
        counts["scored"] += len(gold) + len(extra)
        counts["right"] += sum(1 for key, value in gold.items() if key in got and same_value(got[key], value))
    for key, value in gold.items():
        if got.get(key) is not None and not same_value(got[key], value):
            score.wrong.add((label["file"], f"cell {'/'.join(key)} = {value}"))
        if key not in got or not same_value(got[key], value):
            score.misses.append(f"{label['file']}: cell {'/'.join(key)}: expected {value}, got "
                                f"{got[key] if key in got else 'no cell'}")
    for key, value in extra.items():
        score.wrong.add((label["file"], f"extra cell {'/'.join(key)} = {value}"))
        score.misses.append(f"{label['file']}: extra cell {'/'.join(key)} = {value}")


def same_value(a, b) -> bool:
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


def report(scores: dict[str, Score]) -> str:
    """What `python -m bench accuracy` prints: every number for all labelled documents, the
    development part and the check part side by side; the misses of the development part only
    (the check part is scored, never read for rules)."""
    names = ["all", *PARTS] + (["unassigned"] if scores["unassigned"].fields else [])
    s = {name: summary(scores[name]) for name in names}
    counts = {name: scores[name].fields["year"]["scored"] for name in names}
    heading = "".join(f"{f'{name} ({counts[name]})':>24}" for name in names)
    lines = ["Accuracy on the real corpus (labels: tests/real/, split: tests/real/split.json)", "",
             f"metadata fields:   {heading}"]
    for field_name in METADATA_FIELDS:
        row = "".join(f"{s[n]['fields'][field_name]:>14.3f} ({_ratio(scores[n].fields[field_name], 'right')})"
                      .rjust(24) for n in names)
        lines.append(f"  {field_name:<16}{row}")
    lines += ["", f"figures P / R / F1: {heading}"]
    for group in s["all"]["figures"]:
        row = "".join(_prf(s[n]["figures"].get(group)).rjust(24) for n in names)
        lines.append(f"  {group:<16}{row}")
    lines += ["", f"table cells:       {heading}"]
    for form in s["all"]["cells"]:
        row = "".join((f"{s[n]['cells'][form]['accuracy']:.3f} ({s[n]['cells'][form]['right']}/"
                       f"{s[n]['cells'][form]['scored']})" if form in s[n]["cells"] else "-").rjust(24) for n in names)
        lines.append(f"  {form:<16}{row}")
    development = scores["development"] if SPLIT.exists() else scores["all"]
    if development.failures:
        lines += ["", f"documents not extracted ({len(development.failures)}):",
                  *(f"  {f}" for f in development.failures)]
    lines += ["", f"misses and wrong values of the development part ({len(development.misses)}):",
              *(f"  {m}" for m in development.misses)]
    if SPLIT.exists():
        lines.append(f"(the check part's {len(scores['check'].misses)} misses are not listed: it is only scored)")
    if counts.get("unassigned"):
        lines.append(f"{counts['unassigned']} labelled documents are in neither part: python -m bench accuracy --split")
    return "\n".join(lines)


def _ratio(counter: Counter, key: str) -> str:
    return f"{counter[key]}/{counter['scored']}"


def _prf(v: dict | None) -> str:
    if not v:
        return "-"
    return f"{v['precision']:.3f} {v['recall']:.3f} {v['f1']:.3f}"


def headline(s: dict) -> dict:
    """The numbers the floor guards: each metadata field, figures overall, table cells overall."""
    figures = s["figures"]["all"]
    return {**{f"field {name}": value for name, value in s["fields"].items()},
            "figures precision": figures["precision"], "figures recall": figures["recall"], "figures f1": figures["f1"],
            "cells accuracy": s["cells"].get("all", {}).get("accuracy", 1.0)}


def against_floor(scores: dict[str, Score], floor: dict) -> list[tuple[str, float, float]]:
    """(corpus folder and name, value now, floor) for every number the floor records of each
    corpus folder that is here."""
    found = []
    for corpus, numbers in floor.items():
        if corpus in scores:
            now = headline(summary(scores[corpus]))
            found += [(f"{corpus} {name}", now[name], minimum) for name, minimum in numbers.items()]
    return found


def write_floor(scores: dict[str, Score]) -> str:
    """Record today's numbers as the floor (rounded down), for the suite's guard: one set for
    each corpus folder, so that the guard holds wherever only some folders are present."""
    floor = {corpus: {name: math.floor(value * 1000) / 1000 for name, value in headline(summary(score)).items()}
             for corpus, score in scores.items() if corpus.startswith("corpus:")}
    FLOOR.write_text(json.dumps(floor, indent=2) + "\n", encoding="utf-8")
    return f"floor written to {FLOOR.relative_to(REPO)} for " + ", ".join(floor)


def check() -> str:
    """Validate the labels only."""
    folders = folders_or_exit()
    labels = load_labels(folders)
    figures = sum(len(l.get("figures", [])) for l in labels)
    cells = sum(len(l.get("cells", [])) for l in labels)
    labelled = {l["file"] for l in labels}
    unlabelled = [entry["file"] for _, entry in _sources(folders) if entry["file"] not in labelled]
    lines = [f"{len(labels)} label files fit their documents ({', '.join(map(str, folders))}): "
             f"{figures} figures, {cells} table cells"]
    if unlabelled:
        lines.append(f"{len(unlabelled)} documents without a label file: {', '.join(unlabelled)}")
    missing = missing_documents(folders)
    if missing:
        lines.append(f"{len(missing)} label files whose documents are not here (not checked): {', '.join(missing)}")
    return "\n".join(lines)
