"""The offline sample of agency sites (`sites/`) and the local server that serves them, for
`xxgk demo` and the crawler's tests."""

from pathlib import Path

SITES = Path(__file__).parent / "sites"
