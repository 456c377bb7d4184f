"""The standard tables' own arithmetic (勾稽关系), as SCHEMA.md states it:

- every applicant column balances: new_received + carried_over = handled_total + carried_forward;
- handled_total equals the sum of the result rows;
- the total column equals the sum of the six applicant columns, row by row;
- 表四: each kind's four outcomes sum to its total.

A check whose one side is entirely blank is `not_assessable`; blank cells among filled ones count
as 0, as the format says, and the check's note names them. Numbers are never corrected."""

from __future__ import annotations

from ..record import Check
from .vocabulary import APPEAL_KINDS, APPLICANTS, REQUEST_ROWS_2021, RESULT_GROUPS

_OUTCOME_PARTS = ("upheld", "corrected", "other", "pending")


def table_checks(table3: dict[tuple[str, str], float | None], table4: dict[tuple[str, str], float | None]) -> list[Check]:
    """Every check the tables' cells allow (cells keyed by (row, applicant) and (kind, outcome))."""
    checks = []
    rows = sorted({row for row, _ in table3}, key=_row_order)
    if table3:
        for applicant in APPLICANTS:
            cell = lambda row: table3.get((row, applicant))  # noqa: E731
            if not any((row, applicant) in table3 for row in rows):
                continue
            checks.append(_check(
                f"表三 {applicant}: new_received + carried_over = handled_total + carried_forward",
                [("new_received", cell("new_received")), ("carried_over", cell("carried_over"))],
                [("handled_total", cell("handled_total")), ("carried_forward", cell("carried_forward"))]))
            results = [(row, cell(row)) for row in rows if row.split(".")[0] in RESULT_GROUPS
                       and not (row == "other" and any(r.startswith("other.") for r in rows))]
            checks.append(_check(f"表三 {applicant}: results = handled_total", results,
                                 [("handled_total", cell("handled_total"))]))
        for row in rows:
            parts = [(applicant, table3.get((row, applicant))) for applicant in APPLICANTS[:-1]]
            checks.append(_check(f"表三 {row}: applicants = total", parts, [("total", table3.get((row, "total")))]))
    for kind in APPEAL_KINDS:
        if any(k == kind for k, _ in table4):
            parts = [(outcome, table4.get((kind, outcome))) for outcome in _OUTCOME_PARTS]
            checks.append(_check(f"表四 {kind}: outcomes = total", parts, [("total", table4.get((kind, "total")))]))
    return checks


def _row_order(row: str) -> tuple:
    order = REQUEST_ROWS_2021 + ("other",)
    return (order.index(row) if row in order else len(order), row)


def _check(name: str, left: list[tuple[str, float | None]], right: list[tuple[str, float | None]]) -> Check:
    blank = [label for label, value in left + right if value is None]
    left_values = [value for _, value in left if value is not None]
    right_values = [value for _, value in right if value is not None]
    if not left_values or not right_values:
        side = "left" if not left_values else "right"
        return Check(name=name, status="not_assessable", parts=left_values,
                     total=_plain(sum(right_values)) if right_values else None,
                     difference=None, note=f"the {side} side is blank")
    total = _plain(sum(right_values))
    difference = _plain(sum(left_values) - total)
    note = f"blank cells counted as 0: {', '.join(blank)}" if blank else None
    return Check(name=name, status="pass" if abs(difference) < 1e-9 else "fail", parts=left_values,
                 total=total, difference=difference, note=note)


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 6)
