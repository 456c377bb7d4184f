"""Cells that a text copy ran together ("本年新收政府信息公开申请数量1200000012"), split by the
format's own arithmetic: in each 表三 row the six applicant cells add to 总计; in each column
本年新收 + 上年结转 = （七）总计 + 结转下年度 and the result rows add to （七）总计; in 表四 each
kind's four outcomes add to its 总计. A split is accepted only where it is the single one that
satisfies every check the rows at hand allow; otherwise the row's cells stay null."""

from __future__ import annotations

import itertools
from functools import lru_cache

_MAX_COMBINATIONS = 20_000      # rows whose splits multiply beyond this are judged one by one


@lru_cache(maxsize=4096)
def splits(pieces: tuple[str, ...], groups: int, size: int) -> tuple[tuple[int | None, ...], ...]:
    """Every way to read a row's pieces (runs of digits, and marks of blank cells such as "/")
    as `groups` groups of `size` cells: each run cut into one or more numbers (none with a
    leading zero), each mark one blank cell (None), each group's last cell the sum of the others
    (a blank one counting as 0) unless that last cell is itself blank."""
    width = groups * size
    found: list[tuple[int | None, ...]] = []

    def walk(piece: int, position: int, cells: tuple) -> None:
        if len(cells) % size == 0 and cells and not _group_adds_up(cells[-size:]):
            return
        if piece == len(pieces):
            if len(cells) == width:
                found.append(cells)
            return
        if len(cells) == width:
            return
        text = pieces[piece]
        if not text.isdigit():
            walk(piece + 1, 0, cells + (None,))
            return
        for end in range(position + 1, len(text) + 1):
            number = text[position:end]
            if len(number) > 1 and number[0] == "0":
                break
            if end == len(text):
                walk(piece + 1, 0, cells + (int(number),))
            else:
                walk(piece, end, cells + (int(number),))

    walk(0, 0, ())
    return tuple(found)


def _group_adds_up(group: tuple) -> bool:
    *parts, total = group
    return total is None or sum(p or 0 for p in parts) == total


def resolve(candidates: dict[str, tuple[tuple[int, ...], ...]], fixed: dict[str, tuple[int | None, ...]],
            checks: list[tuple[list[str], list[str]]]) -> dict[str, tuple[int, ...] | None]:
    """For each run-together row, its split where the checks leave exactly one; None where they
    leave several or none. `checks` are column balances (rows on the left = rows on the right)
    over rows of `candidates` and `fixed`; a check with a row that is not at hand is skipped."""
    unreadable = {row for row, options in candidates.items() if not options}
    candidates = {row: options for row, options in candidates.items() if options}
    present = set(candidates) | set(fixed)
    usable = [(left, right) for left, right in checks if set(left + right) <= present
              and set(left + right) & set(candidates)]
    rows = list(candidates)
    sizes = [len(candidates[row]) for row in rows]
    total = 1
    for size in sizes:
        total *= size
    if not rows:
        return {row: None for row in unreadable}
    if total > _MAX_COMBINATIONS:
        return {row: candidates[row][0] if len(candidates[row]) == 1 else None for row in rows} | \
            {row: None for row in unreadable}
    fitting = []
    for choice in itertools.product(*(candidates[row] for row in rows)):
        values = {**fixed, **dict(zip(rows, choice))}
        if all(_balances(values, left, right) for left, right in usable):
            fitting.append(choice)
    resolved: dict[str, tuple[int, ...] | None] = {row: None for row in unreadable}
    for index, row in enumerate(rows):
        options = {choice[index] for choice in fitting}
        resolved[row] = options.pop() if len(options) == 1 else None
    return resolved


def _balances(values: dict, left: list[str], right: list[str]) -> bool:
    width = len(next(iter(values.values())))
    for column in range(width):
        sides = []
        for side in (left, right):
            cells = [values[row][column] for row in side]
            if any(cell is None for cell in cells):
                break
            sides.append(sum(cells))
        if len(sides) == 2 and sides[0] != sides[1]:
            return False
    return True
