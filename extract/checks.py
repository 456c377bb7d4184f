"""Arithmetic a report's figures must satisfy: a breakdown sums to its total; requests balance.

A check is recorded whatever its outcome: `pass` when the parts sum to the total; `fail` (with
the difference) when they exceed it, or fall short although they include a residual bucket
(其他, 其余); `not_assessable` when the total is missing, a figure is approximate, or the parts
may not be exhaustive (a partial 其中 list)."""

from __future__ import annotations

from typing import Callable

from . import lazy_re
from .metrics import REQUEST_OUTCOMES
from .record import Check, Figure

_RESIDUAL = lazy_re.compile(r"其他|其它|其余")
_REASONED = ("requests.denied", "requests.unable", "requests.not_processed", "requests.other")


def run_checks(figures: list[Figure]) -> list[Check]:
    """Each check the report's figures allow, with its status; parts of a total the report
    breaks down more than once are numbered by breakdown first (separate_breakdowns), and each
    breakdown is checked on its own."""
    first = _first_of(figures)
    separate_breakdowns(figures)
    checks = [check for metric in ("proactive.items_by_category", "requests.by_channel")
              for check in _by_category(figures, metric, BREAKDOWN_OF[metric], first)]
    for metric in _REASONED:
        reasons = [f for f in figures if f.metric == metric and f.category]
        if reasons and first(metric):
            checks.append(_breakdown(f"{metric} reasons = {metric}", reasons, first(metric), _residual_category))
    outcomes = _outcomes(figures)
    checks += [_outcome_check(outcomes, first) if outcomes else None, _balance(first),
               *_by_category(figures, "consultations.by_channel", BREAKDOWN_OF["consultations.by_channel"], first)]
    return [check for check in checks if check]


# The breakdowns of a total a report may state, each checked against it.
BREAKDOWN_OF = {"proactive.items_by_category": "proactive.items_total", "requests.by_channel": "requests.received",
                "consultations.by_channel": "consultations.total"}


def separate_breakdowns(figures: list[Figure]) -> None:
    """Where the parts of a total exceed it but, in the order stated, fall into two or more runs
    that each add up to it exactly (by publisher, then by kind), number the runs in `breakdown`:
    they are that many breakdowns of one total, not one."""
    first = _first_of(figures)
    for metric, total_metric in BREAKDOWN_OF.items():
        total = first(total_metric)
        parts = sorted((f for f in figures if f.metric == metric), key=lambda f: f.start)
        if total is None or total.value <= 0 or any(f.qualifier != "exact" for f in [total, *parts]):
            continue
        runs = _runs_adding_to(parts, total.value)
        if len(runs) >= 2:
            for number, run in enumerate(runs, start=1):
                for f in run:
                    f.breakdown = number


def _runs_adding_to(parts: list[Figure], total: int | float) -> list[list[Figure]]:
    """`parts` cut into consecutive runs each adding up to `total`, or [] where they cannot be."""
    runs, run, running = [], [], 0
    for f in parts:
        run.append(f)
        running += f.value
        if running == total:
            runs.append(run)
            run, running = [], 0
        elif running > total:
            return []
    return runs if not run else []


def _by_category(figures: list[Figure], metric: str, total: str, first) -> list[Check]:
    """A check of the parts against their total, one for each breakdown the report states."""
    parts = [f for f in figures if f.metric == metric]
    numbers = sorted({f.breakdown for f in parts if f.breakdown})
    if not numbers:
        return [_breakdown(f"{metric} = {total}", parts, first(total), _residual_category)] if parts else []
    return [_breakdown(f"{metric} (breakdown {n} of {len(numbers)}) = {total}",
                       [f for f in parts if f.breakdown == n], first(total), _residual_category) for n in numbers]


def _first_of(figures: list[Figure]) -> Callable[[str], Figure | None]:
    def first(metric: str) -> Figure | None:
        return next((f for f in figures if f.metric == metric and not f.category), None)
    return first


def _residual_category(f: Figure) -> bool:
    return bool(f.category and _RESIDUAL.search(f.category))


def _outcomes(figures: list[Figure]) -> list[Figure]:
    """One figure per answer given: an outcome's own subtotal where stated, else its reasons."""
    parts = []
    for metric in REQUEST_OUTCOMES:
        same = [f for f in figures if f.metric == metric]
        subtotal = next((f for f in same if not f.category), None)
        parts += [subtotal] if subtotal else same
    return parts


def _outcome_check(outcomes: list[Figure], first) -> Check:
    residual = lambda f: f.metric == "requests.other"  # noqa: E731
    handled = first("requests.handled_total")
    if handled:
        return _breakdown("requests.outcomes = requests.handled_total", outcomes, handled, residual)
    received, forward = first("requests.received"), first("requests.carried_forward")
    check = _breakdown("requests.outcomes = requests.received", outcomes, received, residual,
                       adjust=[(first("requests.carried_over"), 1), (forward, -1)])
    return check


def _balance(first) -> Check | None:
    """received + carried over = handled + carried forward (SCHEMA.md's balance of 表三)."""
    received, over = first("requests.received"), first("requests.carried_over")
    handled, forward = first("requests.handled_total"), first("requests.carried_forward")
    if not (received and handled and forward):
        return None
    left = [received.value, over.value if over else 0]
    right = handled.value + forward.value
    check = Check("requests.received + requests.carried_over = requests.handled_total + requests.carried_forward",
                  "pass", left, right, _round(sum(left) - right))
    if any(f.qualifier != "exact" for f in (received, handled, forward, *([over] if over else []))):
        check.status, check.note = "not_assessable", "approximate figures"
    elif check.difference:
        check.status = "fail" if over else "not_assessable"
        check.note = "the two sides differ" if over else "carried-over requests not stated"
    return check


def _breakdown(name: str, parts: list[Figure], total: Figure | None, is_residual,
               adjust: list | None = None) -> Check:
    values = [p.value for p in parts]
    if total is None:
        return Check(name, "not_assessable", values, None, None, "no total stated")
    target, notes = total.value, []
    for figure, sign in adjust or []:
        if figure is not None:
            target += sign * figure.value
            notes.append(f"{'+' if sign > 0 else '−'} {figure.metric.split('.')[-1].replace('_', ' ')}")
    difference = _round(sum(values) - target)
    check = Check(name, "pass", values, _round(target), difference,
                  f"total {' '.join(notes)}" if notes else None)
    involved = [*parts, total, *(f for f, _ in adjust or [] if f is not None)]
    if any(f.qualifier != "exact" for f in involved):
        check.status, check.note = "not_assessable", "approximate figures"
    elif difference > 0:
        check.status, check.note = "fail", "the parts exceed the total"
    elif difference < 0 and any(is_residual(p) for p in parts):
        check.status, check.note = "fail", "the parts, residual included, fall short of the total"
    elif difference < 0:
        check.status, check.note = "not_assessable", "the parts stated may not be exhaustive"
    return check


def _round(value: int | float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 6)


def prose_against_tables(prose: list[Figure], table: list[Figure]) -> list[Check]:
    """A figure the prose states exactly against the same metric in the standard tables."""
    checks = []
    stated = {f.metric: f for f in table if f.category is None}
    for metric in dict.fromkeys(f.metric for f in prose):
        said = next((f for f in prose if f.metric == metric and f.category is None and f.qualifier == "exact"), None)
        if said is None or metric not in stated:
            continue
        total = stated[metric].value
        difference = _round(said.value - total)
        checks.append(Check(name=f"{metric}: prose = table", status="pass" if difference == 0 else "fail",
                            parts=[said.value], total=total, difference=difference,
                            note=f"prose: {said.evidence[:60]}"))
    return checks
