"""Shared test helpers."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "tests" / "examples"
# The project's shared corpus lives beside the repository (../shared/corpus); CI machines have
# it at /work/shared. XXGK_CORPUS points elsewhere.
CORPUS_PLACES = [os.environ.get("XXGK_CORPUS"), REPO.parent / "shared" / "corpus", "/work/shared/corpus"]


def corpus_file(name: str) -> Path:
    """A document of the shared corpus; fails (does not skip) when the corpus is missing."""
    for place in CORPUS_PLACES:
        if place and (Path(place) / name).exists():
            return Path(place) / name
    pytest.fail(f"{name} not found in the shared corpus ({', '.join(map(str, filter(None, CORPUS_PLACES)))}); "
                "set XXGK_CORPUS to its folder")
