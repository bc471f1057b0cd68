"""The published PDF: laid out from the redacted copy only, without document information, checked afterwards."""

from __future__ import annotations

import pytest

from jianguan.documents import contracts as documents
from jianguan.redaction.engine import Engine
from jianguan.redaction.masks import masked_values
from jianguan.redaction.publishing import LeftoverFound, leftovers, redacted_pdf

ENGINE = Engine()
ORIGINAL = {"当事人": "张三",
            "违法事实": "张三雇佣李四销售过期食品，李四电话138 0013 8000，住金桂路123号5栋302室，"
                        "收款银行卡6222021234567890128。",
            "处罚依据": "《中华人民共和国食品安全法》第一百二十四条"}


def published() -> tuple[bytes, frozenset[str]]:
    result = ENGINE.redact(ORIGINAL, persons=["张三", "李四"], party="张三")
    originals = masked_values(ORIGINAL, result.masks)
    data = redacted_pdf("行政处罚决定信息公示", list(result.fields.items()), originals=originals, keep=["张三"])
    return data, originals


def test_the_pdf_shows_the_redacted_copy_and_none_of_the_hidden_values():
    data, originals = published()
    text = "".join(documents.pdf_text(data))
    assert originals == {"李四", "138 0013 8000", "123号5栋302室", "6222021234567890128"}
    assert "行政处罚决定信息公示" in text and "张三雇佣李*销售过期食品" in text and "138****8000" in text
    for value in originals:
        assert value not in text
    assert "13800138000" not in text and "6222021234567890128" not in text.replace(" ", "")
    assert b"6222021234567890128" not in data


def test_the_pdf_has_no_document_information():
    data, _ = published()
    assert documents.pdf_info(data) == {}
    assert b"WeasyPrint" not in data and b"CreationDate" not in data and b"/Title" not in data
    ordinary = documents.html_pdf("<html><head><title>T</title></head><body>张三</body></html>")
    assert documents.pdf_info(ordinary)["Producer"].startswith(b"WeasyPrint")  # what the bare file leaves out


def test_a_value_left_in_the_copy_is_refused():
    result = ENGINE.redact(ORIGINAL, persons=["张三", "李四"], party="张三")
    fields = [*list(result.fields.items()), ("备注", "联系人李四，13800138000")]
    with pytest.raises(LeftoverFound) as refused:
        redacted_pdf("公示", fields, originals=masked_values(ORIGINAL, result.masks), keep=["张三"])
    assert refused.value.code == "redaction_leftover"
    assert refused.value.extra == {"leftovers": 2}
    assert "李四" not in refused.value.message


def test_a_hidden_value_is_found_in_its_digits_alone_or_wrapped_over_lines():
    assert leftovers(["电话：13800138000"], ["138 0013 8000"]) == ["138 0013 8000"]
    assert leftovers(["卡号 6222 0212 3456\n7890 128"], ["6222021234567890128"]) == ["6222021234567890128"]
    assert leftovers(["证件号码４２０６０２１９９００１０１１２３３"], ["420602199001011233"]) == ["420602199001011233"]
    assert leftovers(["138****8000"], ["13800138000"]) == []


def test_the_party_name_containing_a_hidden_name_is_not_a_leftover():
    assert leftovers(["当事人李四海，李*作证"], ["李四"], keep=["李四海"]) == []
    assert leftovers(["当事人李四海，李四作证"], ["李四"], keep=["李四海"]) == ["李四"]


def test_a_long_hidden_value_over_two_pages_is_still_found():
    long_text = "甲" * 3000 + "13800138000" + "乙" * 10
    data = documents.bare_pdf(f"<html><body><p>{long_text}</p></body></html>")
    pages = documents.pdf_text(data)
    assert len(pages) >= 2
    assert leftovers(pages, ["13800138000"]) == ["13800138000"]
