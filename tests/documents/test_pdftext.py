"""Reading back the text a PDF shows (documents.pdftext): ToUnicode maps and the text operators."""

from __future__ import annotations

from jianguan.documents import contracts
from jianguan.documents.pdftext import cmap


def test_cmap_reads_single_codes_and_ranges():
    data = (b"2 beginbfchar\n<0003> <0020>\n<438e> <5f53>\nendbfchar\n2 beginbfrange\n<0010> <0012> <0041>\n"
            b"<0020> <0021> [<5f20> <4e09>]\nendbfrange")
    assert cmap(data) == {3: " ", 0x438E: "当", 0x10: "A", 0x11: "B", 0x12: "C", 0x20: "张", 0x21: "三"}


def test_a_rendered_page_reads_back_as_written():
    data = contracts.bare_pdf("<html><body><p>当事人张三</p><p>电话 138****8000 (ABC)</p></body></html>")
    text = "".join(contracts.pdf_text(data))
    assert "当事人张三" in text and "电话 138****8000 (ABC)" in text
    assert contracts.pdf_info(data) == {}
