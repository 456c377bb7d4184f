"""Which cells belong to which row of a table read from text (rows.py finds the rows): a row's
own cells where every row fits; the table's cells dealt out in the format's order where their
count is exactly its rows' (numbers above or below their labels, a label misspelt past
recognition); cells above their labels; digits run into the next label's number; a page that
stops inside its last cell. What cannot be placed for certain is left unplaced, with a warning
that names the row."""

from __future__ import annotations

from .cells import Found, cell_value
from .run_together import group_adds_up
from .rows import Row
from .stream import Piece, shown


def strip_numbering(rows: list[Row], era_rows: tuple[str, ...]) -> None:
    """Digits run into the next label's number ("00000002.其他法律…"): the number goes with the
    label, not the cells. The next label is the format's next row, found or not."""
    for row in rows:
        keys = [row.key] + (list(era_rows[era_rows.index(row.key) + 1:]) if row.key in era_rows else [])
        clusters = [row.pieces, *row.more]
        for cluster, following in zip(clusters, keys[1:]):
            number = _sub_number(following, era_rows)
            last = cluster[-1] if cluster else None
            if number and last and last.numbered and last.raw.endswith(number) and len(last.raw) > len(number):
                cluster[-1] = Piece(last.raw[:-len(number)], last.start, last.end - len(number), "number")


def _sub_number(key: str, era_rows: tuple[str, ...]) -> str | None:
    if "." not in key:
        return None
    group = key.split(".")[0]
    subs = [k for k in era_rows if k.startswith(group + ".")]
    return str(subs.index(key) + 1) if key in subs else None


def place(rows: list[Row], pre: list[Piece], width: int, era_rows, found: Found, name: str) -> dict:
    """{row key: (label, its pieces)}. Each row's own pieces where every row fits (its cells, or
    a run of them). Where a full row of cells stands before the first label, every row's cells
    stand above its label (a PDF's cells aligned to their tops): the table's cells are dealt out
    in order, `width` to each of the format's rows from the first label found to the last, and
    only when their count is exactly that. Where some rows do not fit, the same dealing when the
    count is exact (numbers above or below their labels, a label misspelt past recognition);
    else rows the format has between two labels found take the runs of cells that stand there.
    A warning for every row that cannot be placed, and for every row placed without its label."""
    expected = _rows_spanned(rows, era_rows)
    if len(non_empty(pre)) == width:
        numbers = non_empty(pre + [p for r in rows[:-1] for part in [r.pieces, *r.more] for p in part])
        if len(numbers) != width * len(expected) or any(p.run and is_run([p], width) for p in numbers):
            found.warnings.append(f"{name}: its cells stand above their labels, {len(numbers)} numbers for "
                                  f"{len(expected)} rows of {width}: not read")
            return {}
        found.warnings.append(f"{name}: its cells stand above their labels: each row read from the line above it")
        return _dealt(rows, expected, numbers, width, found, name)
    for row in rows:
        row.pieces = at_commas_if_fitting(row.pieces, width)
    for row, following in zip(rows, rows[1:]):    # a label that stands below its cells: the row before has them
        if row.tabular and not following.pieces and len(non_empty(row.pieces)) == 2 * width:
            numbers = non_empty(row.pieces)
            row.pieces, following.pieces = numbers[:width], numbers[width:]
    fitting = [r.tabular and fits(r.pieces, width) for r in rows]
    if not any(fitting):
        return {}
    numbers = non_empty(pre + [p for r in rows for part in [r.pieces, *r.more] for p in part])
    if not all(fitting) and all(r.tabular for r in rows) and len(numbers) == width * len(expected) \
            and not any(p.run and is_run([p], width) for p in numbers) and _by_whole_rows(rows, width):
        return _dealt(rows, expected, numbers, width, found, name)
    placed = {}
    for i, (row, fit) in enumerate(zip(rows, fitting)):
        missing = _missing_between(row.key, rows[i + 1].key if i + 1 < len(rows) else None, era_rows)
        pieces = non_empty(row.pieces)
        if missing and row.tabular and len(row.more) == len(missing) and all(fits(c, width) for c in row.more):
            parts = [row.pieces, *row.more]            # one run of cells for each row between the labels
        elif missing and row.tabular and len(pieces) == width * (1 + len(missing)):
            parts = [pieces[j * width:(j + 1) * width] for j in range(1 + len(missing))]
        else:
            parts = None
        if parts and fit or parts and len(parts[0]) == width:
            for j, key in enumerate([row.key, *missing]):
                placed[key] = (row.label if j == 0 else f"{key} (its label not found)", parts[j])
            found.warnings.append(f"{name}: no label found for {', '.join(missing)}: its cells taken in the "
                                  f"format's order after {row.label!r}")
            continue
        if fit:
            placed[row.key] = (row.label, row.pieces)
        elif pieces and not row.tabular:
            found.warnings.append(f"{name} row {row.label!r}: its numbers stand in a sentence, not in the "
                                  f"table's cells; not read: {shown(pieces)}")
        elif pieces:
            found.warnings.append(f"{name} row {row.label!r}: {len(pieces)} numbers where the format has {width}; "
                                  f"kept unmapped: {shown(pieces)}")
    return placed


def page_numbers_alone(rows: list[Row], text: str, width: int, found: Found, name: str) -> None:
    """A row with one number too many, the number of the page a PDF broke the table at
    ("…0 0 1\n7\n…"), not a cell: see without_a_page_number."""
    for row in rows:
        kept = without_a_page_number(row.pieces, text, width, width)
        if kept is not None:
            found.warnings.append(f"{name} row {row.label!r}: a number alone on its line among its cells, "
                                  f"{shown([p for p in row.pieces if p not in kept])} (a page's number?): not a cell")
            row.pieces = kept


def without_a_page_number(pieces: list[Piece], text: str, width: int, group: int | None = None) -> list[Piece] | None:
    """`pieces` without a page's number, where they are one more than `width`: the one number
    alone on its line while the others stand together on theirs, first or last; or, where every
    cell stands alone on its line (one cell per line) and the table's rows add up, the one whose
    leaving out makes each `group` of cells add up to its last (总计), and only if no other does.
    None where no number is certainly the page's."""
    numbers = non_empty(pieces)
    if len(numbers) != width + 1:
        return None
    alone = [p for p in numbers if p.kind == "number" and _alone_on_its_line(p, text)]
    if len(alone) == 1 and alone[0] in (numbers[0], numbers[-1]):
        page = alone[0]
    elif group is None:
        return None
    else:
        adding_up = [p for p in alone if _adds_up([q for q in numbers if q is not p], group)]
        if len(adding_up) != 1:
            return None
        page = adding_up[0]
    return [p for p in pieces if p is not page]


def _alone_on_its_line(piece: Piece, text: str) -> bool:
    start = text.rfind("\n", 0, piece.start) + 1
    end = text.find("\n", piece.end)
    return text[start:end if end >= 0 else len(text)].strip() == piece.raw


def _adds_up(cells: list[Piece], group: int) -> bool:
    """Each `group` of cells adds up to its last, which is written (not blank)."""
    values = [cell_value(p.raw)[0] for p in cells]
    groups = [tuple(values[i:i + group]) for i in range(0, len(values), group)]
    return all(g[-1] is not None and group_adds_up(g) for g in groups)


def stops_in_the_next_row(rows: list[Row], text: str, width: int, found: Found, name: str) -> None:
    """A page that stops just after the first numbers of the row below the last label found (a
    page opening cut there, its label's number or cells): the last row's own cells are the
    first `width` after its label; what follows them is not read."""
    if not rows or rows[-1].more:
        return
    row = rows[-1]
    numbers = non_empty(row.pieces)
    if len(numbers) > width and numbers[-1].end >= len(text.rstrip()):
        row.pieces = numbers[:width]
        found.warnings.append(f"{name} row {row.label!r}: the text stops after {shown(numbers[width:])}, the start "
                              f"of the row below it: not read")


def cut_at_the_end(placed: dict, text: str, width: int, found: Found) -> None:
    """A row whose last cell is the last thing in the text (a page opening that stops there)
    may have lost digits of it, or cells: kept only where its cells still add up to its total."""
    for key, (label, pieces) in list(placed.items()):
        cells = as_cells(pieces, width)
        if cells is not None and may_be_cut(cells, text):
            del placed[key]
            found.warnings.append(f"表三 row {label!r}: the text stops at its last cell, which may be cut "
                                  f"({shown(cells)}): not read")


def may_be_cut(cells: list[Piece], text: str, summed: int | None = None) -> bool:
    """Cells whose last one the text stops at, and that may have lost digits of it or cells
    after it: empty cells stand among them (a `|` row cut before its last cells), or the last
    cell is not 0 and is not the sum of the `summed` cells before it (all of them by default)."""
    if not cells or cells[-1].end < len(text.rstrip()):
        return False
    if any(p.kind == "empty" for p in cells):
        return True
    values = [cell_value(p.raw)[0] for p in cells[-(summed or len(cells)):]]
    return cells[-1].raw != "0" and (values[-1] is None or sum(v or 0 for v in values[:-1]) != values[-1])


def _by_whole_rows(rows: list[Row], width: int) -> bool:
    """Whether each label found stands before whole rows of cells (none, one or several): cells
    printed above or below their labels, a label lost. A row one cell short and another one
    cell over (a number its copy broke in two, "1\n6") are no rows out of place."""
    return all(len(non_empty([p for part in [r.pieces, *r.more] for p in part])) % width == 0 for r in rows)


def _dealt(rows: list[Row], expected: list[str], numbers: list[Piece], width: int, found: Found, name: str) -> dict:
    """The table's cells dealt out in order, `width` to each of the format's rows."""
    labels = {r.key: r.label for r in rows}
    unlabelled = [key for key in expected if key not in labels]
    if unlabelled:
        found.warnings.append(f"{name}: no label found for {', '.join(unlabelled)}: its cells taken in the "
                              "format's order")
    return {key: (labels.get(key, f"{key} (its label not found)"), numbers[i * width:(i + 1) * width])
            for i, key in enumerate(expected)}


def at_commas_if_fitting(pieces: list[Piece], width: int) -> list[Piece]:
    """The pieces, or the same cut at their commas ("0,153,322": cells between commas, not one
    number) where only that fits a row of `width`."""
    if fits(pieces, width):
        return pieces
    split = comma_split(pieces)
    return split if split != pieces and fits(split, width) else pieces


def comma_split(pieces: list[Piece]) -> list[Piece]:
    """Pieces with every number written with commas (1,234) cut at its commas."""
    out = []
    for piece in pieces:
        if piece.kind != "number" or "," not in piece.raw:
            out.append(piece)
            continue
        position = piece.start
        for part in piece.raw.split(","):
            out.append(Piece(part, position, position + len(part), "number"))
            position += len(part) + 1
    return out


def non_empty(pieces: list[Piece]) -> list[Piece]:
    return [p for p in pieces if p.kind != "empty"]


def _rows_spanned(rows: list[Row], era_rows: tuple[str, ...]) -> list[str]:
    """The format's rows from the first label found to the last (2021's three 其他处理 rows as
    one where the table wrote them as one)."""
    keys = [r.key for r in rows]
    era_rows = _as_written(era_rows, keys)
    known = [era_rows.index(key) for key in keys if key in era_rows]
    if not known:
        return keys
    return list(era_rows[min(known):max(known) + 1])


def _as_written(era_rows: tuple[str, ...], keys) -> tuple[str, ...]:
    """The format's rows, with 2021's three 其他处理 rows as one where the table wrote them as
    one (its row `other` is among `keys`)."""
    if "other" not in keys:
        return era_rows
    return tuple(dict.fromkeys("other" if key.startswith("other") else key for key in era_rows))


def fits(pieces: list[Piece], width: int) -> bool:
    return as_cells(pieces, width) is not None or is_run(pieces, width)


def unfound_rows(placed: dict, era_rows: tuple[str, ...], name: str) -> list[str]:
    """Warnings for the format's rows a table read from text does not have: a row between two
    rows read, and the rows after the last one (a page that stops inside the table)."""
    era_rows = _as_written(era_rows, placed)
    read = [era_rows.index(key) for key in placed if key in era_rows]
    if not read:
        return []
    inner = [key for key in era_rows[:max(read)] if key not in placed]
    after = era_rows[max(read) + 1:]
    warnings = [f"{name}: no row found for {', '.join(inner)}"] if inner else []
    if after:
        warnings.append(f"{name} stops after {era_rows[max(read)]}: {len(after)} of its rows ({', '.join(after)}) "
                        "are not in the text")
    return warnings


def _missing_between(key: str, following: str | None, era_rows: tuple[str, ...]) -> list[str]:
    """The format's rows between two labels found (none after the last)."""
    if following is None or key not in era_rows or following not in era_rows:
        return []
    return list(era_rows[era_rows.index(key) + 1:era_rows.index(following)])


def as_cells(pieces: list[Piece], width: int) -> list[Piece] | None:
    """A row's `width` cells: its pieces when there are as many; in a `|` row, its last `width`
    cells when those hold every number and stand on its line (empty cells before them are merged
    label cells; empty cells of the lines above are not its)."""
    numbers = non_empty(pieces)
    if len(numbers) == width:
        return numbers
    if len(pieces) >= width and len(numbers) < width and any(p.kind == "empty" for p in pieces):
        tail = pieces[-width:]
        if all(p in tail for p in numbers) and tail[0].line is not None and tail[0].line == tail[-1].line:
            return tail
    return None


def is_run(pieces: list[Piece], width: int) -> bool:
    """Fewer pieces than cells, digits enough for them: cells run together (marks of blank
    cells may stand between the runs)."""
    numbers = non_empty(pieces)
    if not numbers or len(numbers) >= width or not any(p.run for p in numbers):
        return False
    if not all(p.run or p.kind == "blank" for p in numbers):
        return False
    return sum(len(p.raw) if p.run else 1 for p in numbers) >= width
