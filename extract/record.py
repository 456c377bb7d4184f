"""The record one report becomes (field names from SCHEMA.md; do not rename them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERAS = ("free_text", "tables_2019", "tables_2021")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "derived")
SECTION_KINDS = (
    "overview", "proactive", "on_request", "consultation", "fees",
    "appeals", "problems", "improvements", "other",
)
CHECK_STATUSES = ("pass", "fail", "not_assessable")


@dataclass
class Region:
    """Where the agency is: its division's names and GB/T 2260 code (SCHEMA.md)."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None


@dataclass
class Contacts:
    """How to reach the agency, as the report writes it (SCHEMA.md)."""

    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass
class Section:
    """A numbered part of the report (SCHEMA.md)."""

    number: str          # 一, 二, …
    title: str           # the heading without its number
    kind: str            # one of SECTION_KINDS
    start: int           # offsets of the section in Report.text
    end: int


@dataclass
class Figure:
    """One number the report states, with its metric and where it stands (SCHEMA.md)."""

    metric: str
    value: int | float
    unit: str | None
    qualifier: str
    category: str | None
    evidence: str        # the sentence the number came from (Report.text[start:end]), or a table
                         # cell's path ("表三 （一）予以公开 / 总计"), whose offsets hold its row
    start: int
    end: int
    section: int | None = None       # index into Report.sections
    value_max: int | float | None = None   # upper bound of a range (30至50人次)
    channel: str | None = None       # by-channel metrics: the channel's short name in SCHEMA.md (网站, 电话, 其他),
                                     # where `category` keeps an outlet as written (政务新媒体, 12345热线)
    breakdown: int | None = None     # where a report breaks one total down more than once (by publisher, then
                                     # by kind), which of those breakdowns (1, 2 …) this part belongs to
    confidence: float | None = None  # read from a scan: the OCR confidence (0-100) of the numbers on the lines
                                     # it spans (a total: its cells' rows), or of its words where they hold none


@dataclass
class Check:
    """Whether parts add up to their total (SCHEMA.md)."""

    name: str            # "<parts> = <total>"
    status: str          # one of CHECK_STATUSES
    parts: list[int | float]
    total: int | float | None
    difference: int | float | None   # sum(parts) - total, where assessable
    note: str | None = None


@dataclass
class RequestCell:
    """One cell of 表三 (requests by applicant): row and applicant keys from SCHEMA.md."""
    row: str
    applicant: str
    raw: str             # the cell as written
    value: int | float | None   # None where blank, "/", "—", "-" or 无
    confidence: float | None = None   # read from a scan: OCR's confidence (0-100) in this cell


@dataclass
class AppealCell:
    """One cell of 表四 (reconsideration and litigation)."""
    kind: str            # reconsideration, litigation_direct, litigation_after_reconsideration
    outcome: str         # upheld, corrected, other, pending, total
    raw: str
    value: int | float | None
    confidence: float | None = None


@dataclass
class Report:
    """The record of one report (SCHEMA.md)."""

    title: str | None
    agency: str | None
    region: Region
    year: int | None
    published_at: str | None
    archived_at: str | None
    period_start: str | None
    period_end: str | None
    signed_on: str | None
    era: str
    contacts: Contacts
    sections: list[Section]
    figures: list[Figure]
    checks: list[Check]
    source: str | None = None          # the page's 来源 line
    text: str = ""                     # the report's text; offsets point into it
    warnings: list[str] = field(default_factory=list)
    request_cells: list[RequestCell] = field(default_factory=list)   # 表三, 2019+ reports
    appeal_cells: list[AppealCell] = field(default_factory=list)     # 表四, 2019+ reports
    missing_tables: list[str] = field(default_factory=list)   # 2019+: table2/table3/table4 not read (warnings say why)
    document: dict = field(default_factory=dict)   # name, sha256, size, format, encoding; ocr: engine, pages
    extractor_version: str = ""

    def to_dict(self) -> dict:
        """The record as plain JSON-ready data."""
        return asdict(self)
