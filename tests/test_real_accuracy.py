"""The extractor on real reports (../shared/corpus/real, ../corpus/real-2, ../corpus/real-3 and
../corpus/real-4 beside the repository, labelled in tests/real/): accuracy on each folder that is here must not
fall below the floor recorded for it in tests/real/floor.json. Raise the floor as accuracy rises
(python -m bench accuracy --floor writes it). Every labelled document is in one part of the split
(tests/real/split.json): the part rules are written from, or the part only scored."""

import json

import pytest

from bench import accuracy

FOLDERS = accuracy.corpus_folders()
pytestmark = pytest.mark.skipif(
    not FOLDERS, reason="the real corpus is not here (real, real-2, real-3 and real-4 in ../shared/corpus or ../corpus "
                        "beside the repository, or XXGK_REAL_CORPUS / XXGK_CORPUS): real-report accuracy NOT checked")


@pytest.fixture(scope="module")
def scores():
    return accuracy.run(FOLDERS)


def test_every_document_has_a_label_that_fits_it():
    labels = accuracy.load_labels(FOLDERS)
    documents = [entry["file"] for folder in FOLDERS
                 for entry in json.loads((folder / "sources.json").read_text(encoding="utf-8"))]
    assert sorted(label["file"] for label in labels) == sorted(documents)


def test_accuracy_is_not_below_the_floor(scores):
    floor = json.loads(accuracy.FLOOR.read_text(encoding="utf-8"))
    guarded = accuracy.against_floor(scores, floor)
    assert guarded, "no corpus folder here has a floor"
    below = [f"{name}: {value} < floor {minimum}" for name, value, minimum in guarded if value < minimum]
    assert below == [], "real-report accuracy fell:\n" + "\n".join(below)


def test_every_labelled_document_is_in_one_part_of_the_split():
    parts = accuracy.split_parts()
    labels = accuracy.load_labels(FOLDERS)
    assert [label["file"] for label in labels if label["file"] not in parts] == []
    split = json.loads(accuracy.SPLIT.read_text(encoding="utf-8"))
    assert not set(split["development"]) & set(split["check"])
    assert len(split["check"]) >= 0.3 * (len(split["check"]) + len(split["development"]))


def test_no_text_form_of_a_real_report_reads_a_wrong_value():
    """The labelled text documents written again with other line breaks and separators
    (bench/reflow.py; the forms that move a table's cells, and every line broken at a page's
    width): a cell or figure may go unread (an ambiguous run, warned of), never read wrong where
    the published text reads it right."""
    from bench import reflow

    result = reflow.run(("as published", "all run together", "one cell per line", "no | separators",
                         "| without spaces", "wrapped at 40"))
    development = reflow.newly_wrong(result, "development")
    assert development == {}, development
    check = {form: len(found) for form, found in reflow.newly_wrong(result, "check").items()}
    assert check == {}, f"values read wrong in the check part's other text forms (make reflow): {check}"
