"""Scans made from the suite's own reports: a generated PDF rendered to page images (pypdfium2),
degraded the ways real scans are (turned a little or a quarter, blurred, saved as a poor JPEG,
salt noise, a red seal over the signature, a grey paper), and wrapped as an image-only PDF, a
long JPG picture (the pages one under the other) or a multi-page TIFF. The truth is the
report's own cells (tests/table_reports.py).

    python -m tests.scans OUT_DIR     writes every degradation of both reports, to look at
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from tests.table_reports import CJK_FONT, REPORTS, TableReport, pdf_bytes

DEGRADATIONS = ("skew+3", "skew-3", "turn90", "turn180", "blur", "jpeg40", "salt", "seal", "grey")


def page_images(pdf: bytes, dpi: int) -> list[Image.Image]:
    """A PDF's pages rendered at `dpi`, in RGB."""
    import pypdfium2

    return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in pypdfium2.PdfDocument(pdf)]


def grey_scan(pdf: bytes, dpi: int = 150) -> list[Image.Image]:
    """A PDF's pages as a county office scans them for its site: grey, at a low resolution."""
    return [page.convert("L") for page in page_images(pdf, dpi)]


def scanned(report: TableReport, dpi: int = 300, degradations: dict[int, tuple[str, ...]] | None = None,
            seed: int = 1) -> list[Image.Image]:
    """The report's pages as scans at `dpi`, page i (from 0) degraded by degradations[i]."""
    rng = random.Random(seed)
    pages = page_images(pdf_bytes(report), dpi)
    for index, kinds in (degradations or {}).items():
        for kind in kinds:
            pages[index] = degrade(pages[index], kind, rng, dpi)
    return pages


def degrade(page: Image.Image, kind: str, rng: random.Random, dpi: int) -> Image.Image:
    if kind.startswith("skew"):
        return page.rotate(float(kind[4:]), resample=Image.BICUBIC, expand=True, fillcolor="white")
    if kind.startswith("turn"):
        return page.rotate(int(kind[4:]), expand=True)
    if kind == "blur":
        return page.filter(ImageFilter.GaussianBlur(radius=dpi / 300))
    if kind.startswith("jpeg"):
        out = io.BytesIO()
        page.save(out, "JPEG", quality=int(kind[4:]))
        return Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    if kind == "salt":
        page = page.copy()
        pixels = page.load()
        for _ in range(page.width * page.height // 400):
            pixels[rng.randrange(page.width), rng.randrange(page.height)] = (0, 0, 0) if rng.random() < 0.5 \
                else (255, 255, 255)
        return page
    if kind == "seal":
        return with_seal(page, dpi)
    if kind == "grey":
        return Image.eval(page, lambda v: int(v * 0.72 + 40))      # paper at 223, ink at 40
    raise ValueError(kind)


def with_seal(page: Image.Image, dpi: int) -> Image.Image:
    """A red round seal stamped over the last lines of ink (the signing agency and date), with
    red characters of its own; its ink multiplies with the page's, as a stamp's does (black
    stays black under it)."""
    inked = page.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()     # where the ink is
    centre_y = inked[3] - dpi // 8 if inked else page.height // 2
    radius = dpi * 2 // 3
    centre_x = dpi
    stamp = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(stamp)
    red = (215, 30, 40)
    draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), outline=red,
                 width=max(dpi // 40, 3))
    font = ImageFont.truetype(str(CJK_FONT), size=dpi // 6)
    draw.text((centre_x - radius * 0.75, centre_y - dpi // 12), "政府信息公开专用章", font=font, fill=red)
    draw.regular_polygon((centre_x, centre_y - radius // 2, dpi // 10), 5, fill=red)
    return ImageChops.multiply(page, stamp)


def image_pdf(pages: list[Image.Image], dpi: int, *, jpeg: bool = False) -> bytes:
    """The pages as an image-only PDF, one image a page (PNG, lossless, unless `jpeg`)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    for page in pages:
        width, height = page.width * 72 / dpi, page.height * 72 / dpi
        pdf.add_page(format=(width, height))
        buffer = io.BytesIO()
        page.save(buffer, "JPEG" if jpeg else "PNG", quality=85)
        pdf.image(buffer, x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


def long_jpg(pages: list[Image.Image], dpi: int, quality: int = 90) -> bytes:
    """The pages one under the other in one JPG picture (a 长图), its resolution recorded."""
    picture = Image.new(pages[0].mode, (max(p.width for p in pages), sum(p.height for p in pages)), "white")
    top = 0
    for page in pages:
        picture.paste(page, (0, top))
        top += page.height
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def tiff(pages: list[Image.Image], dpi: int) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_deflate", dpi=(dpi, dpi))
    return out.getvalue()


def cells_wrong(record, report: TableReport) -> list[tuple[str, str, str, object, object]]:
    """Every 表三 and 表四 cell the record has wrong (or lacks): (table, row, column, truth, read)."""
    read = {("表三", c.row, c.applicant): c.value for c in record.request_cells}
    read |= {("表四", c.kind, c.outcome): c.value for c in record.appeal_cells}
    truth = {("表三", c["row"], c["applicant"]): c["value"] for c in report.expected_request_cells()}
    truth |= {("表四", c["kind"], c["outcome"]): c["value"] for c in report.expected_appeal_cells()}
    return [(*key, value, read.get(key, "missing")) for key, value in truth.items() if read.get(key, "missing") != value]


def flagged(record, cell: tuple) -> bool:
    """Whether a wrong cell is caught: a failed check names its row or its column, or a warning
    names its column as not a number, or the value read as read with low confidence."""
    _, row, column, _, read = cell
    failed = " ".join(c.name for c in record.checks if c.status == "fail")
    return (row in failed or column in failed
            or any(f"/ {column}: cell" in w for w in record.warnings)
            or read not in (None, "missing") and any(f"'{read}' read by OCR" in w for w in record.warnings))


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year, report in REPORTS.items():
        for kind in DEGRADATIONS:
            for number, page in enumerate(scanned(report, 150, {0: (kind,), 1: (kind,)}), 1):
                path = folder / f"{year}-{kind}-p{number}.png"
                page.save(path)
                written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "scans")):
        print(path)
