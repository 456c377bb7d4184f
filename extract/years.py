"""The report years a user may ask for, read one way by every command (`--years`)."""

from __future__ import annotations

import datetime

from . import lazy_re

# The Regulations on the Disclosure of Government Information took effect on 2008-05-01;
# the first annual reports cover 2008.
FIRST_REPORT_YEAR = 2008
_PART = lazy_re.compile(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*")


class YearsError(ValueError):
    """Years that cannot be read, run backwards, or lie outside the years reports exist for."""


def parse_years(text: str, today: datetime.date | None = None) -> list[int]:
    """`2013-2024`, `2019` or `2013,2015,2017-2019` as a sorted list of years, each between
    the first report year and this year; anything else raises YearsError saying what is allowed."""
    last_allowed = (today or datetime.date.today()).year
    allowed = f"years from {FIRST_REPORT_YEAR} to {last_allowed}"
    years: set[int] = set()
    for part in str(text).split(","):
        match = _PART.fullmatch(part)
        if not match:
            raise YearsError(f"cannot read years {text!r}: write 2013-2024, 2019 or 2013,2015 ({allowed})")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise YearsError(f"years {part.strip()!r} run backwards: write {last}-{first} ({allowed})")
        if first < FIRST_REPORT_YEAR or last > last_allowed:
            raise YearsError(f"no reports exist for {part.strip()}: the first reports cover {FIRST_REPORT_YEAR}; "
                             f"ask for {allowed}")
        years.update(range(first, last + 1))
    return sorted(years)
