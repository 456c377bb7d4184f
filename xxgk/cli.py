"""xxgk: crawl, extract and archive China's government information-disclosure annual reports."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table

from extract import ExtractError, extract_file
from extract.report import FORMATS

SAMPLES = Path(__file__).parent / "samples"
_MARK = {"pass": "✓", "fail": "✗", "not_assessable": "?"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, extract and archive government information-disclosure annual reports."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--jsonl", is_flag=True, help="One JSON record per line instead of a JSON array.")
def extract(files: tuple[str, ...], jsonl: bool) -> None:
    """Extract the report record (SCHEMA.md) from each FILE (.txt, .html, .htm).

    A file that cannot be read is reported on stderr with the reason; the others are still
    extracted, and the exit status is 1."""
    failed = 0
    records = []
    for path in files:
        try:
            record = extract_file(path).to_dict()
        except ExtractError as err:
            click.echo(f"xxgk extract: {err}", err=True)
            failed += 1
            continue
        if jsonl:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            records.append(record)
    if not jsonl:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--samples", type=click.Path(file_okay=False, exists=True, path_type=Path), default=SAMPLES,
              show_default="the bundled sample reports", help="Folder of report documents to extract.")
def demo(samples: Path) -> None:
    """Extract every report in the bundled sample folder and print a summary table."""
    console = Console()
    paths = sorted(p for p in samples.iterdir() if p.suffix.lower() in FORMATS)
    table = Table(title=f"{len(paths)} reports in {samples}", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("report", "agency", "code", "year", "figs", "checks"):
        table.add_column(column, no_wrap=True, overflow="ellipsis" if column == "agency" else "fold")
    statuses: Counter[str] = Counter()
    figures = failures = 0
    with console.status("extracting…"):
        for path in paths:
            try:
                report = extract_file(path)
            except ExtractError as err:
                failures += 1
                table.add_row(path.stem, f"[red]failed: {err.reason}[/red]", "", "", "", "")
                continue
            checks = Counter(c.status for c in report.checks)
            statuses.update(checks)
            figures += len(report.figures)
            region = report.region.code or "–"
            table.add_row(path.stem, report.agency or "?", region, str(report.year or "?"), str(len(report.figures)),
                          " ".join(f"{n}{_MARK[s]}" for s, n in sorted(checks.items())) or "–")
    console.print(table)
    console.print(f"{len(paths) - failures} reports extracted, {failures} failed; {figures} figures; checks: "
                  + (", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none")
                  + f" ({' '.join(f'{m} {s}' for s, m in _MARK.items())})."
                  + f"\nFull records: xxgk extract --jsonl {samples}/*")
    if failures:
        sys.exit(1)
