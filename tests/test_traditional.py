"""A site's 繁體 page gives the same record as its simplified page."""

from tests.golden import actual_record


def test_traditional_twin_gives_the_same_record():
    simplified = actual_record("shenzhen-hrss-2017")
    traditional = actual_record("shenzhen-hrss-2017-tw")
    assert traditional["document"]["traditional"] is True
    assert simplified["document"]["traditional"] is False
    for record in (simplified, traditional):
        record.pop("document")
    assert traditional == simplified
    assert len(simplified["figures"]) >= 15
