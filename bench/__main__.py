"""Run the benchmarks: python -m bench [accuracy] [reflow] [freetext] [tables] [text-tables] [ocr] [grids] [crawl]
[distributed] [archive] [memory] [browse] (or make bench: all of them). Accuracy on real reports: make accuracy (python -m bench accuracy [--check]).
Fuzzing is apart: make fuzz (bench/fuzz.py)."""

import argparse

from bench import (
    accuracy, archive, browse, crawl, distributed, freetext, grids, memory, ocr, reflow, tables, text_tables,
)

BENCHMARKS = {"accuracy": lambda args: (accuracy.check() if args.check else
                                         accuracy.assign_split() if args.split else
                                         accuracy.write_floor(accuracy.run()) if args.floor else
                                         accuracy.report(accuracy.run())),
              "reflow": lambda args: reflow.report(reflow.run()),
              "freetext": lambda args: freetext.report(freetext.run(args.reports)),
              "tables": lambda args: tables.report(tables.run(args.table_reports, args.pdf_reports, args.rounds)),
              "text-tables": lambda args: text_tables.report(text_tables.run(args.text_tables, args.rounds)),
              "ocr": lambda args: ocr.report(ocr.run()) + "\n\n" + ocr.free_text_report(ocr.free_text()),
              "grids": lambda args: grids.report(grids.run()),
              "crawl": lambda args: crawl.report(crawl.run(args.listings, args.rounds)),
              "distributed": lambda args: distributed.report(distributed.run(args.dist_listings)),
              "archive": lambda args: archive.report(archive.run(args.archive_reports, args.rounds)),
              "memory": lambda args: memory.report(memory.run(args.memory_reports)),
              "browse": lambda args: browse.report(browse.run([int(n) for n in args.browse_reports.split(",")]))}


def at_least_one(text: str) -> int:
    """A count of reports, pages or rounds: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a count: give 1 or more")
    return value


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("which", nargs="*", help="accuracy, reflow, freetext, tables, text-tables, ocr, grids, crawl, "
                                             "distributed, archive, memory, browse (default: all)")
parser.add_argument("--check", action="store_true", help="accuracy: only validate the labels (tests/real/)")
parser.add_argument("--floor", action="store_true", help="accuracy: record today's numbers as the suite's floor")
parser.add_argument("--split", action="store_true",
                    help="accuracy: put labelled documents not yet split into the development or the check part")
parser.add_argument("--reports", type=at_least_one, default=1000, help="free-text reports to extract (default 1000)")
parser.add_argument("--table-reports", type=at_least_one, default=200, help="HTML table reports (default 200)")
parser.add_argument("--text-tables", type=at_least_one, default=20, help="text-tables: tables of each text form (default 20)")
parser.add_argument("--pdf-reports", type=at_least_one, default=40, help="PDF table reports (default 40)")
parser.add_argument("--listings", type=at_least_one, default=1000,
                    help="listing pages of the generated site, 21 pages each (default 1000: 21,002 pages)")
parser.add_argument("--dist-listings", type=at_least_one, default=250,
                    help="listing pages of the site the shared crawl fetches (default 250: 5,252 pages)")
parser.add_argument("--archive-reports", type=at_least_one, default=100_000,
                    help="generated reports to ingest into the archive (default 100,000)")
parser.add_argument("--memory-reports", type=at_least_one, default=20_000,
                    help="memory: the larger archive ingested and re-extracted (default 20,000; the smaller is a quarter)")
parser.add_argument("--browse-reports", default="2000,100000",
                    help="browse: the archive sizes served to 10 and 50 clients (default 2000,100000)")
parser.add_argument("--rounds", type=at_least_one, default=3,
                    help="crawls of each size by each crawler; timings of each query (default 3)")
args = parser.parse_args()
unknown = set(args.which) - set(BENCHMARKS)
if unknown:
    parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
for name in args.which or BENCHMARKS:
    print(BENCHMARKS[name](args), flush=True)
