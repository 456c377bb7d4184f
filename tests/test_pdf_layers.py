"""The two ways a PDF is read (issue 23): PDFium (characters with boxes, path objects) wherever
the raw scan of pdf_guard lets it, pdfminer through pdfplumber otherwise. Both give the same
text and the same grids for every PDF the suite holds; what PDFium's reading does not lay out
as pdfplumber does goes to pdfminer."""

from __future__ import annotations

import pytest

from extract.formats import pdf, pdf_guard
from extract.formats.pdf import PdfLimits, read_pdf

from .conftest import EXAMPLES, REPO
from .table_reports import CJK_FONT, REPORTS, pdf_bytes

VARIANTS = {"plain": {}, "unruled": {"ruled": False}, "radicals": {"damage": "radicals"}, "bold": {"damage": "bold"},
            "split": {"damage": "split"}, "lost-characters": {"damage": "lost-characters"},
            "lost-characters-unruled": {"ruled": False, "damage": "lost-characters"},
            "wrapped-unruled": {"ruled": False, "damage": "wrapped"}}
FILES = [EXAMPLES / "yueyang-sthjj-2020.pdf", *sorted((REPO / "tests" / "sites").rglob("*.pdf"))]


def both(data: bytes):
    """The pages as PDFium reads them and as pdfminer reads them."""
    token = pdf._BUDGET.set(pdf._Budget(PdfLimits()))
    try:
        found = pdf_guard.scan(data, PdfLimits(), 500)
        assert found.refused is None, found.refused
        return pdf._read_with_pdfium(data, found.pages), pdf._read_with_pdfminer(data)
    finally:
        pdf._BUDGET.reset(token)


def same_pages(fast, slow) -> None:
    assert fast is not None
    assert len(fast[0]) == len(slow[0])
    for new, old in zip(fast[0], slow[0]):
        assert (new is None) == (old is None)
        if new is not None:
            assert new[0] == old[0]                                        # the text, line by line
            assert [(g.source, g.rows) for g in new[1]] == [(g.source, g.rows) for g in old[1]]
    assert fast[2] == slow[2]                                               # characters without a Unicode map


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("year", REPORTS)
def test_pdfium_reads_the_suites_pdfs_as_pdfplumber_does(year, variant):
    fast, slow = both(pdf_bytes(REPORTS[year], **VARIANTS[variant]))
    same_pages(fast, slow)
    if variant != "bold":             # PDFium drops a text object drawn twice in place itself
        assert fast[1] == slow[1]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_pdfium_reads_the_suites_pdf_files_as_pdfplumber_does(path):
    fast, slow = both(path.read_bytes())
    same_pages(fast, slow)


def test_fonts_without_a_unicode_map_are_left_to_pdfminer():
    for damage in ("cid", "cid-digits"):
        assert pdf_guard.scan(pdf_bytes(REPORTS[2019], damage=damage), PdfLimits(), 500).refused == \
            "a composite font without a Unicode map"


def test_text_set_sideways_is_read_by_pdfminer():
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.add_font("cjk", fname=str(CJK_FONT), collection_font_number=0)
    document.set_font("cjk", size=12)
    document.cell(0, 10, "一、总体情况")
    with document.rotation(90, x=100, y=150):
        document.text(100, 150, "竖排的印章文字")
    data = bytes(document.output())
    token = pdf._BUDGET.set(pdf._Budget(PdfLimits()))
    try:
        assert pdf._read_with_pdfium(data, 1) is None
    finally:
        pdf._BUDGET.reset(token)
    text, _, _ = read_pdf(data)
    assert text == "\n".join(pdf._read_with_pdfminer(data)[0][0][0])


def test_an_encrypted_or_oddly_filtered_pdf_is_left_to_pdfminer():
    plain = pdf_bytes(REPORTS[2019])
    assert pdf_guard.scan(plain.replace(b"/Root", b"/Encrypt 99 0 R /Root", 1), PdfLimits(), 500).refused == "encrypted"
    lzw = plain.replace(b"/Filter /FlateDecode", b"/Filter /LZWDecode", 1)
    assert pdf_guard.scan(lzw, PdfLimits(), 500).refused == "a LZWDecode filter"


def test_pdfium_reads_an_office_suites_pdf_as_pdfplumber_does(tmp_path):
    """A PDF an office suite exported (LibreOffice from the suite's DOCX: its table borders are
    drawn its own way, not as fpdf2 draws them): both readings the same."""
    import subprocess

    from extract.formats.libreoffice import soffice

    from .table_reports import REPORT_2020, docx_bytes

    program = soffice()
    if program is None:
        pytest.skip("LibreOffice is not installed (.ci/system-packages installs it)")
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes(REPORT_2020))
    subprocess.run([program, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=300, check=True)
    fast, slow = both((tmp_path / "report.pdf").read_bytes())
    same_pages(fast, slow)
    assert any(grids for _, grids in (page for page in fast[0] if page))          # its tables were read as grids
