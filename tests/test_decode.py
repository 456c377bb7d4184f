"""Encodings: labels are not trusted; every page gives the same text whatever its bytes."""

import codecs

import opencc
import pytest

from extract import ExtractError, extract_bytes
from extract.decode import decode

TEXT = "市科技局2013年度政府信息公开工作报告。全年网站访问量约为6万人次,页面访问量约为22万人次。"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "gb2312"])
def test_decodes_whatever_the_bytes(encoding):
    text, detected = decode(TEXT.encode(encoding))
    assert text == TEXT
    assert detected in ("utf-8", "gb18030")


def test_gb18030_four_byte_characters():
    text = TEXT + "©•𠀀"
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                           (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks(bom, encoding):
    text, _ = decode(bom + TEXT.encode(encoding))
    assert text == TEXT


def test_big5_traditional_page():
    traditional = opencc.OpenCC("s2t").convert(TEXT).replace("爲", "為")
    text, detected = decode(traditional.encode("big5"))
    assert (text, detected) == (traditional, "big5")


def _page(charset: str, body: str) -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>报告</title></head><body><h1>市科技局2013年度政府信息公开工作报告</h1>"
            f"<p>{body}</p></body></html>")


BODY = "一、概述\n全年主动公开政府信息362条,网站访问量约为6万人次。我局今年未收到政府信息公开申请。"


@pytest.mark.parametrize("label, encoding", [("utf-8", "gbk"), ("gb2312", "utf-8"), ("iso-8859-1", "gb18030"),
                                             ("", "gbk")])
def test_wrong_or_missing_labels_give_the_same_record(label, encoding):
    reference = extract_bytes(_page("utf-8", BODY).encode("utf-8"), name="r.html")
    record = extract_bytes(_page(label, BODY).encode(encoding), name="r.html")
    assert record.text == reference.text
    assert [(f.metric, f.value) for f in record.figures] == [(f.metric, f.value) for f in reference.figures]
    assert ("proactive.items_total", 362) in [(f.metric, f.value) for f in record.figures]


def test_full_width_digits_and_punctuation_normalised():
    full = "全年主动公开政府信息３６２条，网站访问量约为６万人次。"
    record = extract_bytes(("市科技局２０１３年度政府信息公开工作报告\n" + full * 3).encode("utf-8"), name="r.txt")
    assert record.year == 2013
    assert ("proactive.items_total", 362) in [(f.metric, f.value) for f in record.figures]
    assert "," in record.text and "，" not in record.text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"\x00\x01\x02\xff\xfe\x00\x81" * 40, "cannot detect the text encoding"),
    (b"plain ascii text, no report here " * 10, "no Chinese"),
])
def test_unreadable_documents_raise_extract_error(data, reason):
    with pytest.raises(ExtractError) as err:
        extract_bytes(data, name="bad.txt")
    assert reason in err.value.reason


def test_unsupported_type_names_the_file():
    with pytest.raises(ExtractError) as err:
        extract_bytes(b"GIF89a" + b"\x00" * 64, name="animation.gif")
    assert "animation.gif" in str(err.value) and "unsupported" in err.value.reason


def test_a_damaged_picture_names_the_file_and_says_so():
    from extract.formats.tesseract import tessdata

    if tessdata() is None:
        pytest.skip("Tesseract with chi_sim is not installed (.ci/system-packages installs it)")
    with pytest.raises(ExtractError) as err:
        extract_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="scan.png")
    assert str(err.value) == ("scan.png: unreadable image: its bytes begin like a picture but no picture can be "
                              "read from them (damaged or cut short)")


REPORT = ("某县人民政府2015年政府信息公开工作年度报告\n一、主动公开政府信息情况\n全年共主动公开政府信息362条。\n"
          "二、依申请公开情况\n全年共受理政府信息公开申请12件。\n三、存在的主要问题\n培训不足。\n")


def _figures(record) -> dict:
    return {f.metric: f.value for f in record.figures}


@pytest.mark.parametrize("inside", ["\u0301", "\u0000", "\u001b", "\u0085", "\u20dd"])
def test_a_mark_or_control_character_inside_a_number_never_shortens_it(inside):
    damaged = REPORT.replace("362", f"3{inside}62").replace("12件", f"1{inside}2件")
    record = extract_bytes(damaged.encode("utf-8"), name="report.txt")
    assert _figures(record) == {"proactive.items_total": 362, "requests.received": 12}
    assert any("2 combining marks or control characters removed" in w for w in record.warnings)


def test_pinyin_written_with_combining_tone_marks_is_still_removed():
    record = extract_bytes(REPORT.replace("公开政府", "公(go\u0304ng)开政府").encode("utf-8"), name="r.txt")
    assert "公开政府信息362条" in record.text and _figures(record)["proactive.items_total"] == 362


def test_a_nul_after_every_character_reads_as_the_text():
    spaced = b"".join(c.encode("utf-8") + b"\x00" for c in REPORT)
    record = extract_bytes(spaced, name="report.txt")
    assert _figures(record) == {"proactive.items_total": 362, "requests.received": 12}
    assert record.agency == "某县人民政府"


def test_a_text_in_two_encodings_is_read_by_parts_and_says_so():
    half = REPORT.index("二、")
    for cut in (half, half + 5):        # at a line break, and inside a line
        data = REPORT[:cut].encode("gbk") + REPORT[cut:].encode("utf-8")
        record = extract_bytes(data, name="report.txt")
        assert _figures(record) == {"proactive.items_total": 362, "requests.received": 12}
        assert "the text is in two encodings (utf-8 and gb18030): read by parts" in record.warnings
