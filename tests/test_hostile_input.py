"""Hostile and broken documents: extraction answers every one with a record or a readable
ExtractError, never another exception, a hang, or a file read it was not given.

The inputs that once broke extraction (found by `make fuzz`, bench/fuzz.py) live in
tests/fuzz_corpus/ and are run here every time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import ExtractError, extract_bytes

from .table_reports import REPORT_2019, docx_bytes, html_page, pdf_bytes

CORPUS = Path(__file__).parent / "fuzz_corpus"
SUFFIXES = (".html", ".htm", ".txt", ".pdf", ".docx", ".doc", ".wps", ".rtf", ".xls", ".zip", ".png", "")
SEEDS = {".html": html_page(REPORT_2019), ".pdf": pdf_bytes(REPORT_2019), ".docx": docx_bytes(REPORT_2019)}


def answer(data: bytes, name: str):
    """The record, or the ExtractError's reason; anything else fails the test."""
    try:
        return extract_bytes(data, name=name)
    except ExtractError as err:
        assert err.reason and name in str(err)
        return err.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_with_any_name(data, suffix):
    answer(data, f"random{suffix}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(SEEDS)), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8))
def test_truncated_and_damaged_documents(kind, cut, flips):
    data = bytearray(SEEDS[kind][:max(1, int(len(SEEDS[kind]) * cut))])
    for where, byte in flips:
        data[min(len(data) - 1, int(len(data) * where))] = byte
    answer(bytes(data), f"damaged{kind}")


def test_docx_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(REPORT_2019)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, rest = data.decode("utf-8").partition("?>")
                data = (f'{head}?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                        + rest.replace("一、总体情况", "一、总体情况&xxe;")).encode("utf-8")
            target.writestr(item, data)
    result = answer(out.getvalue(), "xxe.docx")
    text = result if isinstance(result, str) else result.text
    assert "TOP-SECRET-CONTENT" not in text


def test_a_zip_bomb_docx_is_refused_unopened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(256):                      # 256 MiB of zeros, about 250 KiB packed
                member.write(chunk)
    assert len(out.getvalue()) < 2 * 1024 * 1024
    assert "zip bomb" in answer(out.getvalue(), "bomb.docx")


def test_a_200_mb_page_is_refused_by_its_size():
    page = b"<html><body>" + b"<p>" + b"x" * (200 * 1024 * 1024) + b"</p></body></html>"
    assert "over the" in answer(page, "huge.html")


def test_deeply_nested_html():
    depth = 100_000
    page = ("<html><body>" + "<div>" * depth + "某县2019年政府信息公开工作年度报告" + "</div>" * depth + "</body></html>")
    result = answer(page.encode("utf-8"), "nested.html")
    assert isinstance(result, str) or result.title is None or "年度报告" in result.title


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "cp500", "shift_jis", "koi8_r", "big5"])
def test_text_in_unexpected_encodings(encoding):
    text = "某县人民政府2019年政府信息公开工作年度报告\n一、总体情况\n全年共收到政府信息公开申请12件。\n" * 3
    answer(text.encode(encoding, errors="replace"), f"report-{encoding}.txt")


FOUND = sorted(p for p in CORPUS.glob("*") if p.name != "README.md")
if FOUND:                 # defined only when fuzzing has found something (an empty list would be a skip)
    @pytest.mark.parametrize("path", FOUND, ids=lambda p: p.name)
    def test_inputs_that_once_failed(path):
        answer(path.read_bytes(), path.name)
