"""The extractor on real reports (../shared/corpus/real, labelled in tests/real/): accuracy must
not fall below the floor recorded in tests/real/floor.json. Raise the floor as accuracy rises
(python -m bench accuracy --floor writes it)."""

import json

import pytest

from bench import accuracy

CORPUS = accuracy.corpus_folder()
pytestmark = pytest.mark.skipif(
    CORPUS is None, reason="the real corpus is not here (../shared/corpus/real beside the repository, or "
                           "XXGK_REAL_CORPUS / XXGK_CORPUS): real-report accuracy NOT checked")


@pytest.fixture(scope="module")
def summary():
    return accuracy.summary(accuracy.run(CORPUS))


def test_every_label_fits_its_document():
    labels = accuracy.load_labels(CORPUS)
    assert len(labels) == len(json.loads((CORPUS / "sources.json").read_text(encoding="utf-8")))


def test_accuracy_is_not_below_the_floor(summary):
    floor = json.loads(accuracy.FLOOR.read_text(encoding="utf-8"))
    below = [f"{name}: {value} < floor {minimum}" for name, value, minimum in accuracy.against_floor(summary, floor)
             if value < minimum]
    assert below == [], "real-report accuracy fell:\n" + "\n".join(below)
