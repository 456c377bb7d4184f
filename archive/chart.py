"""A comparison drawn as a PNG: lines over years (one per agency, a panel per metric), or bars
for a single year. Labels are Chinese, drawn with the Noto Sans CJK font the noto-cjk-sans-otc
package ships, so no system font is needed. Approximate values are hollow markers (bars: hatched,
with a legend saying so); a missing figure is a gap, never a zero. Numbers are written with
thousands separators, and an axis of counts starts at zero."""

from __future__ import annotations

import math
from pathlib import Path

from .compare import MARKS, Comparison, split_metric, title
from .labels import metric_label

MAX_AGENCIES = 20     # more lines than this is unreadable; the agencies with the most figures are drawn


ROUGH = "约数或上下限（约、余、不足）/ approximate or a bound"


def draw_chart(comparison: Comparison, path: str | Path) -> Path:
    """Draw the comparison to `path` (PNG); return the path."""
    import matplotlib.pyplot as plt

    figure = chart_figure(comparison)
    path = Path(path)
    try:
        figure.savefig(path, dpi=110)
    finally:
        plt.close(figure)
    return path


def chart_figure(comparison: Comparison):
    """The comparison drawn as a matplotlib figure (the caller closes it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    _use_cjk_font()
    rows = sorted(comparison.rows, key=lambda r: -len(r.cells))[:MAX_AGENCIES]
    if not rows:
        raise ValueError("nothing to draw: the comparison has no figures")
    metrics = comparison.metrics
    panels = len(metrics)
    figure, axes = plt.subplots(panels, 1, figsize=(11, 4.5 * panels), squeeze=False)
    for axis, metric in zip(axes[:, 0], metrics):
        if len(comparison.years) == 1:
            _bars(axis, rows, metric, comparison.years[0])
        else:
            _lines(axis, rows, metric, comparison.years)
        if panels > 1:
            axis.set_title(metric_label(*split_metric(metric)))
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _thousands(value)))
        _from_zero(axis, [c.value for row in rows for (m, _), c in row.cells.items() if m == metric])
        axis.grid(alpha=0.3)
    figure.suptitle(title(comparison) + (f"  前{MAX_AGENCIES}个机构" if len(comparison.rows) > MAX_AGENCIES else ""))
    figure.tight_layout()
    return figure


def _thousands(value: float) -> str:
    """12345 → 12,345; 0.5 → 0.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def _from_zero(axis, values: list[float]) -> None:
    """An axis of figures none of which is negative starts at zero; one whose figures are all zero
    runs from 0 to 1 (not matplotlib's ±0.04)."""
    if values and min(values) >= 0:
        axis.set_ylim(0, axis.get_ylim()[1] if max(values) > 0 else 1)


def _lines(axis, rows, metric: str, years: list[int]) -> None:
    for row in rows:
        values = [row.cells.get((metric, y)) for y in years]
        if not any(values):
            continue
        line, = axis.plot(years, [c.value if c else math.nan for c in values], marker="o", label=row.agency)
        rough = [(y, c.value) for y, c in zip(years, values) if c and c.qualifier != "exact"]
        if rough:
            axis.scatter(*zip(*rough), s=80, facecolors="white", edgecolors=line.get_color(), zorder=3)
    axis.set_xticks(years)
    axis.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)


def _bars(axis, rows, metric: str, year: int) -> None:
    cells = [(row.agency, row.cells.get((metric, year))) for row in rows]
    cells = [(name, cell) for name, cell in cells if cell]
    bars = axis.bar(range(len(cells)), [cell.value for _, cell in cells])
    for bar, (_, cell) in zip(bars, cells):
        if cell.qualifier != "exact":
            bar.set_hatch("//")
        axis.annotate(MARKS.get(cell.qualifier, "") + _thousands(cell.value),
                      (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8)
    axis.set_xticks(range(len(cells)), [name for name, _ in cells], rotation=40, ha="right", fontsize=8)
    if any(cell.qualifier != "exact" for _, cell in cells):
        from matplotlib.patches import Patch

        color = bars[0].get_facecolor()
        axis.legend(handles=[Patch(facecolor=color, label="确数 / exact"),
                             Patch(facecolor=color, hatch="//", label=ROUGH)], fontsize=8, loc="upper right")


def _use_cjk_font() -> None:
    from matplotlib import font_manager, rcParams
    from noto_cjk_sans_otc import FONT_PATH

    font_manager.fontManager.addfont(str(FONT_PATH))
    rcParams["font.family"] = font_manager.FontProperties(fname=str(FONT_PATH)).get_name()
    rcParams["axes.unicode_minus"] = False
