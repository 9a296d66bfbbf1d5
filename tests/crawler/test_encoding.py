"""Encoding detection on raw bytes: GBK without a charset, with a lying <meta>, UTF-8."""

from __future__ import annotations

from crawler.encoding import canonical, declared_meta, detect

TEXT = (
    "<html><head>{meta}</head><body>沭阳县2023年政府信息公开工作年度报告，依申请公开</body></html>"
)


def page(meta: str, encoding: str) -> bytes:
    return TEXT.format(meta=meta).encode(encoding)


def test_gbk_without_any_charset_is_gb18030() -> None:
    body = page("", "gbk")
    assert detect(body) == "gb18030"
    assert "政府信息公开" in body.decode(detect(body))


def test_gbk_behind_a_meta_that_says_utf8() -> None:
    body = page('<meta charset="utf-8">', "gbk")
    assert declared_meta(body) == "utf-8"
    assert detect(body, "utf-8") == "gb18030"


def test_utf8_behind_a_meta_that_says_gb2312() -> None:
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "utf-8")
    assert detect(body) == "utf-8"


def test_declared_gbk_is_widened_and_a_latin1_header_is_not_trusted() -> None:
    body = page('<meta charset="gb2312">', "gb18030")
    assert canonical("GB2312") == "gb18030"
    assert detect(body, "iso-8859-1") == "gb18030"
    assert detect(b"<html>plain ascii</html>", "windows-1252") == "cp1252"
