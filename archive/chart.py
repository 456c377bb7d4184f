"""A comparison drawn as a PNG: lines over years (one per agency, a panel per metric), or bars
for a single year. Labels are Chinese, drawn with the Noto Sans CJK font the noto-cjk-sans-otc
package ships, so no system font is needed. Approximate values are hollow markers; a missing
figure is a gap, never a zero."""

from __future__ import annotations

import math
from pathlib import Path

from .compare import Comparison, split_metric, title
from .labels import metric_label

MAX_AGENCIES = 20     # more lines than this is unreadable; the agencies with the most figures are drawn


def draw_chart(comparison: Comparison, path: str | Path) -> Path:
    """Draw the comparison to `path` (PNG); return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
        axis.ticklabel_format(axis="y", style="plain", useOffset=False)
        axis.grid(alpha=0.3)
    figure.suptitle(title(comparison) + (f"  前{MAX_AGENCIES}个机构" if len(comparison.rows) > MAX_AGENCIES else ""))
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


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
        axis.annotate(cell.text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                      ha="center", va="bottom", fontsize=8)
    axis.set_xticks(range(len(cells)), [name for name, _ in cells], rotation=40, ha="right", fontsize=8)


def _use_cjk_font() -> None:
    from matplotlib import font_manager, rcParams
    from noto_cjk_sans_otc import FONT_PATH

    font_manager.fontManager.addfont(str(FONT_PATH))
    rcParams["font.family"] = font_manager.FontProperties(fname=str(FONT_PATH)).get_name()
    rcParams["axes.unicode_minus"] = False
