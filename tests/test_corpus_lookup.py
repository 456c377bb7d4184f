"""The tests find the shared corpus only beside the repository or through XXGK_CORPUS: on a
machine without it they skip, saying where they looked, rather than fail or read another
machine's fixed path."""

import pytest

from tests import conftest


def test_a_missing_corpus_skips_with_the_places_it_looked(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "REPO", tmp_path / "clone")
    monkeypatch.delenv("XXGK_CORPUS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="XXGK_CORPUS") as skipped:
        conftest.corpus_file("yueyang-kjj-2013.txt")
    assert str(tmp_path / "shared" / "corpus") in str(skipped.value)
    monkeypatch.setenv("XXGK_CORPUS", str(tmp_path / "elsewhere"))
    with pytest.raises(pytest.skip.Exception, match="elsewhere"):
        conftest.corpus_file("yueyang-kjj-2013.txt")


def test_the_corpus_named_by_xxgk_corpus_is_found(tmp_path, monkeypatch):
    (tmp_path / "report.txt").write_text("某局2013年政府信息公开工作年度报告", encoding="utf-8")
    monkeypatch.setenv("XXGK_CORPUS", str(tmp_path))
    assert conftest.corpus_file("report.txt") == tmp_path / "report.txt"
