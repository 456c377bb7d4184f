"""Ruled tables on a scanned page, found with OpenCV: the ruling lines are what survives an
opening with a long thin kernel, a table is a large connected frame of them, and its grid is
every row rule by every column rule, with two neighbouring slots one merged cell where no rule
stands between them. The cells' text comes from the caller (ocr.py reads each box)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_MIN_TABLE_SHARE = 0.2        # a table's frame is at least this share of the page's width


@dataclass
class ScannedTable:
    """A ruled table found on a scanned page, in pixels."""

    top: int
    bottom: int
    rows: list[int]                        # the y of each row rule, top to bottom
    columns: list[int]                     # the x of each column rule, left to right
    cells: list[tuple[int, int, int, int]]   # (first row, first column, last row, last column) slots, merged


def ruling_lines(ink: np.ndarray, dpi: int, inches: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """The page's horizontal and vertical rules (ink 255): runs longer than `inches` (by default
    3.8 mm, longer than any stroke of a 10-point character: a table's rules; a larger
    character's 一 is longer)."""
    length = max(int(dpi * inches), 10)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def find_tables(ink: np.ndarray, dpi: int) -> list[ScannedTable]:
    """The ruled tables on a page of ink, top to bottom."""
    horizontal, vertical = ruling_lines(ink, dpi)
    frames = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(frames)
    tables = []
    for label in range(1, count):
        x, y, width, height, _ = stats[label]
        if width < _MIN_TABLE_SHARE * ink.shape[1] or height < dpi * 0.1:
            continue
        inside = labels[y:y + height, x:x + width] == label
        table = _grid(horizontal[y:y + height, x:x + width] * inside, vertical[y:y + height, x:x + width] * inside,
                      tolerance=max(3, dpi // 50))
        if table:
            tables.append(ScannedTable(top=y, bottom=y + height, rows=[r + y for r in table[0]],
                                       columns=[c + x for c in table[1]], cells=table[2]))
    return sorted(tables, key=lambda t: t.top)


def _grid(horizontal: np.ndarray, vertical: np.ndarray, tolerance: int):
    rows = _rules(horizontal, axis=1, tolerance=tolerance)
    columns = _rules(vertical, axis=0, tolerance=tolerance)
    if len(rows) < 2 or len(columns) < 2:
        return None
    slots = {(i, j): (i, j) for i in range(len(rows) - 1) for j in range(len(columns) - 1)}

    def root(slot):
        while slots[slot] != slot:
            slots[slot] = slots[slots[slot]]
            slot = slots[slot]
        return slot

    for i in range(len(rows) - 1):
        for j in range(len(columns) - 1):
            if j + 1 < len(columns) - 1 and not _ruled(vertical, columns[j + 1], rows[i], rows[i + 1], tolerance):
                slots[root((i, j + 1))] = root((i, j))
            if i + 1 < len(rows) - 1 and not _ruled(horizontal.T, rows[i + 1], columns[j], columns[j + 1], tolerance):
                slots[root((i + 1, j))] = root((i, j))
    merged: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in slots:
        merged.setdefault(root(slot), []).append(slot)
    cells = [(min(i for i, _ in group), min(j for _, j in group), max(i for i, _ in group), max(j for _, j in group))
             for group in merged.values()]
    return rows, columns, sorted(cells)


def _rules(mask: np.ndarray, axis: int, tolerance: int) -> list[int]:
    """Where the rules stand across `axis` (rows of a horizontal mask, columns of a vertical
    one): lines with enough rule in them, those a rule's thickness apart one rule at their middle."""
    positions = np.flatnonzero(mask.sum(axis=axis) / 255 >= min(mask.shape[axis] * 0.05, 40))
    rules: list[list[int]] = []
    for position in positions:
        if rules and position - rules[-1][-1] <= tolerance:
            rules[-1].append(int(position))
        else:
            rules.append([int(position)])
    return [(run[0] + run[-1]) // 2 for run in rules]


def _ruled(mask: np.ndarray, at: int, start: int, end: int, tolerance: int) -> bool:
    """Whether a rule runs at `at` (a column of `mask`) from `start` to `end`, most of the way."""
    band = mask[start + tolerance:end - tolerance, max(at - tolerance, 0):at + tolerance + 1]
    return band.size > 0 and (band.max(axis=1) > 0).mean() > 0.6
