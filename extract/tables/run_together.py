"""Cells that a text copy ran together ("本年新收政府信息公开申请数量1200000012"), split by the
format's own arithmetic over the whole table at once: in each 表三 row the six applicant cells
add to 总计; in each column 本年新收 + 上年结转 = （七）总计 + 结转下年度 and the result rows add
to （七）总计; in 表四 each kind's four outcomes add to its 总计. A split is accepted only where
it is the one left by every check the rows at hand allow; otherwise the row's cells stay null."""

from __future__ import annotations

from functools import lru_cache

_MAX_SPLITS = 5_000         # ways to read one run: past this the run is not read
_MAX_STEPS = 200_000        # steps of the search over the whole table: past this, only rows with one split


@lru_cache(maxsize=4096)
def splits(pieces: tuple[str, ...], groups: int, size: int, summed: bool = True) -> tuple[tuple[int | None, ...], ...]:
    """Every way to read a row's pieces (runs of digits, numbers with a sign, and marks of blank
    cells such as "/") as `groups` groups of `size` cells: each run cut into one or more numbers
    (none with a leading zero), each signed number one cell, each mark one blank cell (None);
    where `summed`, each group's last cell is
    the sum of the others (a blank one counting as 0) unless that last cell is itself blank.
    Empty when there are more than _MAX_SPLITS (such a run is left unread)."""
    width = groups * size
    found: list[tuple[int | None, ...]] = []

    def walk(piece: int, position: int, cells: tuple) -> bool:
        if summed and len(cells) % size == 0 and cells and not group_adds_up(cells[-size:]):
            return True
        if piece == len(pieces):
            if len(cells) == width:
                found.append(cells)
            return len(found) <= _MAX_SPLITS
        if len(cells) == width:
            return True
        text = pieces[piece]
        if not text.isdigit():
            return walk(piece + 1, 0, cells + (_signed(text),))
        for end in range(position + 1, len(text) + 1):
            number = text[position:end]
            if len(number) > 1 and number[0] == "0":
                break
            if not walk(piece + (end == len(text)), end if end < len(text) else 0, cells + (int(number),)):
                return False
        return True

    complete = walk(0, 0, ())
    return tuple(found) if complete else ()


def _signed(text: str) -> int | None:
    """A piece that is no run of digits: a number with its sign (-6), or a blank mark (None)."""
    return int(text) if text[:1] in "+-" and text[1:].isdigit() else None


def group_adds_up(group: tuple) -> bool:
    """A group's parts add up to its last cell (a blank part counts 0; a blank total says nothing)."""
    *parts, total = group
    return total is None or sum(p or 0 for p in parts) == total


def resolve(candidates: dict[str, tuple[tuple[int | None, ...], ...]], fixed: dict[str, tuple[int | None, ...]],
            checks: list[tuple[list[str], list[str]]]) -> dict[str, tuple[int | None, ...] | None]:
    """For each run-together row, its split where the checks leave exactly one; None where they
    leave several or none. `checks` are column balances (the rows on the left add up, column by
    column, to the rows on the right; a blank cell counts as 0 and makes that column's check
    silent) over rows of `candidates` and `fixed`; a check with a row not at hand is skipped.
    Where no choice satisfies every check (the document's own sums are broken), each row keeps
    the split it alone allows, if only one."""
    rows = [row for row in candidates if candidates[row]]
    result: dict[str, tuple | None] = {row: None for row in candidates}
    present = set(rows) | set(fixed)          # a row no split reads is not at hand
    usable = [(left, right) for left, right in checks if set(left + right) <= present
              and set(left + right) & set(rows)]
    if not rows:
        return result
    rows.sort(key=lambda row: len(candidates[row]))
    seen: dict[str, set] = {row: set() for row in rows}
    solutions = 0
    steps = 0
    # a check can be decided once its last row is chosen
    due = {row: [] for row in rows}
    for left, right in usable:
        last = max((r for r in left + right if r in rows), key=rows.index)
        due[last].append((left, right))
    values = dict(fixed)

    def search(depth: int) -> bool:
        nonlocal solutions, steps
        if depth == len(rows):
            solutions += 1
            for row in rows:
                seen[row].add(values[row])
            return any(len(options) < 2 for options in seen.values())   # go on while a row may be unique
        row = rows[depth]
        for option in candidates[row]:
            steps += 1
            if steps > _MAX_STEPS:
                return False
            values[row] = option
            if all(_balances(values, left, right) for left, right in due[row]) and not search(depth + 1):
                return False
        return True

    finished = search(0)
    if solutions == 0:
        return {row: candidates[row][0] if len(candidates[row]) == 1 else None for row in candidates}
    for row in rows:
        if len(seen[row]) == 1 and (finished or len(candidates[row]) == 1):
            result[row] = next(iter(seen[row]))
    return result


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
