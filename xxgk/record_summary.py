"""A report record as a person reads it on a terminal: what `xxgk extract` prints by default."""

from __future__ import annotations

from archive.compare import MARKS, format_number
from archive.exports import display_width, pad
from archive.records import excerpt
from archive.labels import metric_label
from extract.record import Figure, Report

EVIDENCE = 36       # characters of a figure's sentence shown around its number


def record_summary(name: str, record: Report) -> str:
    """The record's metadata, its figures as a table, its checks' outcome and its warnings."""
    region = record.region.code or "region unknown"
    failed = [c for c in record.checks if c.status == "fail"]
    lines = [
        f"{name}",
        f"  {record.agency or 'agency not found'} ({region}) · {record.year or 'year not found'} · {record.era}"
        + (f" · published {record.published_at}" if record.published_at else ""),
        f"  {len(record.sections)} sections · {len(record.figures)} figures · "
        f"{len(record.request_cells)} 表三 cells, {len(record.appeal_cells)} 表四 cells · "
        f"checks: {len(record.checks) - len(failed)} pass or not assessable, {len(failed)} fail",
    ]
    if record.figures:
        rows = [("metric", "名称", "value", "evidence")] + [_row(f) for f in record.figures]
        widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
        lines += ["  " + "  ".join(pad(cell, widths[i], right=i == 2) for i, cell in enumerate(r[:3])) + "  " + r[3]
                  for r in rows]
    lines += [f"  check failed: {c.name} (parts {format_number(sum(c.parts))}, total "
              f"{format_number(c.total) if c.total is not None else '—'})" for c in failed]
    lines += [f"  warning: {w}" for w in record.warnings]
    if record.missing_tables:
        lines.append(f"  tables not read: {', '.join(record.missing_tables)}")
    return "\n".join(lines)


def _row(f: Figure) -> tuple[str, str, str, str]:
    value = MARKS.get(f.qualifier, "") + format_number(f.value) + (f"–{format_number(f.value_max)}" if f.value_max
                                                                   else "") + (f.unit or "")
    return f.metric, metric_label(f.metric, f.category), value, _excerpt(f)


def _excerpt(f: Figure) -> str:
    """The figure's sentence, cut to EVIDENCE characters around its number where longer."""
    text = " ".join(f.evidence.split())
    return excerpt(text, max(0, text.find(format_number(f.value))), EVIDENCE)
