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
        extract_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="scan.png")
    assert "scan.png" in str(err.value) and "unsupported" in err.value.reason
