"""Run the benchmarks: python -m bench (or make bench)."""

import argparse

from bench import freetext

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--reports", type=int, default=1000, help="generated reports to extract (default 1000)")
args = parser.parse_args()
print(freetext.report(freetext.run(args.reports)))
