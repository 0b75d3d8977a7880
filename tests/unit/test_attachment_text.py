"""Attachment text (gongkai_core.attachment_text): real files of each kind, hostile ones, the cache."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from attachment_fixtures import docx_file, encrypted_pdf, minimal_pdf, xlsx_file
from gongkai_build.readcache import ContentCache, attachment_version
from gongkai_core import attachment_text
from gongkai_core.attachment_text import Scanner, scan_bytes

ID = "11010519491231002X"


def findings(scan) -> list[tuple[str, str, str]]:
    return sorted({(c.kind, c.normalised, where) for view in scan.numbers for c, where in view})


def test_pdf_pages_and_properties():
    data = minimal_pdf(["第一页", "身份证号 110105 1949 1231 002X"], info={"Author": "张三 13800138000"})
    scan = scan_bytes(data, "a.pdf")
    assert scan.error is None
    assert ("id_card", ID, "第2页") in findings(scan)
    assert ("mobile", "13800138000", "文档属性") in findings(scan)


def test_secret_marks_are_found_on_their_page_or_line():
    scan = scan_bytes(minimal_pdf(["示例县文件", "正文", "秘 密 ★ 1 年"]), "a.pdf")
    assert scan.marks == (("第3页", 1),)
    assert scan_bytes("第一行\n秘密★1年\n".encode(), "a.txt").marks == (("第2行", 2),)


def test_docx_runs_header_and_table():
    data = docx_file(
        ["正文第一段"], header="机密★5年", table=[["身份证号", ID]], split_runs="手机13800138000"
    )
    scan = scan_bytes(data, "a.docx")
    assert scan.error is None
    assert ("mobile", "13800138000", "正文第2段") in findings(scan)  # one character per run, read as one
    assert ("id_card", ID, "正文第4段") in findings(scan)
    assert scan.marks == (("页眉第1段", 1),)


def test_xlsx_cells_numbers_and_sheet_names():
    data = xlsx_file({"名单": {"A1": "姓名", "B2": ID, "C3": 13800138000}, "13900139000": {"A1": "x"}})
    scan = scan_bytes(data, "a.xlsx")
    assert scan.error is None
    assert findings(scan) == [
        ("id_card", ID, "工作表“名单”B2"),
        ("mobile", "13800138000", "工作表“名单”C3"),
        ("mobile", "13900139000", "工作表名称"),
    ]


@pytest.mark.parametrize(
    "data,name",
    [
        ("说明\n手机：１３８－００１３－８０００\n".encode("gb18030"), "a.txt"),
        ("说明\n手机：138 0013 8000\n".encode("utf-16"), "a.csv"),
        (b'{"a": "\\u0031\\u0033\\u0038\\u0030\\u0030\\u0031\\u0033\\u0038\\u0030\\u0030\\u0030"}', "a.json"),
    ],
)
def test_text_files(data, name):
    scan = scan_bytes(data, name)
    assert [(c.kind, c.normalised) for view in scan.numbers for c, _ in view] == [("mobile", "13800138000")]


@pytest.mark.parametrize(
    "data,reason",
    [
        (encrypted_pdf([f"ID {ID}"], "user-pw"), "PDF 已加密，需要密码才能打开"),
        (minimal_pdf(["text"])[:300] + b"\n2 0 obj << /Broken", "PDF 文件已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "旧版 Office/WPS 格式"),
        (b"\x00\x01\x02binary", "文件格式无法识别"),
    ],
)
def test_unreadable_files_say_why(data, reason):
    scan = scan_bytes(data, "x.pdf")
    assert scan.error is not None and reason in scan.error


def test_a_pdf_that_needs_no_password_to_open_is_read():
    scan = scan_bytes(encrypted_pdf([f"ID {ID}"], ""), "a.pdf")
    assert scan.error is None and ("id_card", ID, "第1页") in findings(scan)


def test_a_few_bytes_saved_as_pdf_hold_nothing_to_show():
    assert scan_bytes(b"%PDF-1.4\n% table\n", "a.pdf") == attachment_text.FileScan()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def understated(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of member `name` written as `size` in both headers."""
    out = bytearray(data)
    encoded = name.encode()
    local = out.find(b"PK\x03\x04" + out[4:4])
    while local >= 0:
        if out[local + 30 : local + 30 + len(encoded)] == encoded:
            out[local + 22 : local + 26] = struct.pack("<I", size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        if out[central + 46 : central + 46 + len(encoded)] == encoded:
            out[central + 24 : central + 28] = struct.pack("<I", size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def test_zip_bombs_are_refused_before_they_are_inflated():
    big = b"<w:document>" + b"1" * (attachment_text.ZIP_MAX_TOTAL + 1) + b"</w:document>"
    compressed = zlib.compress(big, 9)
    assert len(compressed) < 2 * 2**20
    declared = zip_bytes({"word/document.xml": big})
    scan = scan_bytes(declared, "bomb.docx")
    assert scan.error is not None and "压缩炸弹" in scan.error
    lying = understated(declared, "word/document.xml", 1000)
    scan = scan_bytes(lying, "bomb.docx")
    assert scan.error is not None and ("压缩炸弹" in scan.error or "无法解压" in scan.error)


def test_xml_with_a_dtd_is_not_parsed():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<w:document><w:p><w:t>&lol2;</w:t></w:p></w:document>"
    )
    scan = scan_bytes(zip_bytes({"word/document.xml": laughs, "[Content_Types].xml": b"<Types/>"}), "a.docx")
    assert scan.error is not None and "DTD" in scan.error


def test_an_unknown_zip_cannot_be_checked():
    scan = scan_bytes(zip_bytes({"readme.txt": b"13800138000"}), "a.docx")
    assert scan.error is not None and "压缩包" in scan.error


def test_results_are_cached_by_the_files_bytes(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(minimal_pdf([f"ID {ID}"]))
    first = Scanner(ContentCache(cache, "attachments", attachment_version()))
    assert findings(first.scan(pdf)) == [("id_card", ID, "第1页")]
    first.save()

    def not_again(data, name):
        raise AssertionError("scanned again")

    monkeypatch.setattr(attachment_text, "scan_bytes", not_again)
    again = Scanner(ContentCache(cache, "attachments", attachment_version()))
    assert findings(again.scan(pdf)) == [("id_card", ID, "第1页")]
    assert again.cache.hits == 1
    again.save()


def test_a_file_replaced_by_one_of_the_same_size_is_read_again(tmp_path):
    cache = tmp_path / "cache"
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(minimal_pdf(["ID 11010519491321002X"]))  # no 13th month: no ID number
    first = Scanner(ContentCache(cache, "attachments", attachment_version()))
    assert findings(first.scan(pdf)) == []
    first.save()
    replaced = minimal_pdf([f"ID {ID}"])
    assert len(replaced) == pdf.stat().st_size
    pdf.write_bytes(replaced)
    assert findings(Scanner(ContentCache(cache, "attachments", attachment_version())).scan(pdf)) == [
        ("id_card", ID, "第1页")
    ]


def test_alternative_text_of_pictures_is_read():
    document = (
        '<w:document xmlns:w="w" xmlns:wp="wp"><w:body><w:p><w:r><w:t>照片</w:t></w:r>'
        '<w:r><w:drawing><wp:docPr id="1" name="Picture 1" descr="13800138000"/></w:drawing></w:r>'
        "</w:p></w:body></w:document>"
    ).encode()
    scan = scan_bytes(zip_bytes({"word/document.xml": document}), "a.docx")
    assert findings(scan) == [("mobile", "13800138000", "正文")]


def test_a_text_file_that_mentions_a_pdf_header_is_text():
    scan = scan_bytes("说明：文件头为 %PDF-1.7 的是 PDF。\n手机 13800138000\n".encode(), "readme.txt")
    assert scan.error is None and findings(scan) == [("mobile", "13800138000", "第2行")]


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.xlsx"])
def test_damaged_files_never_crash_and_never_print_control_characters(name):
    import random
    import unicodedata

    rng = random.Random(name)
    data = {
        "a.pdf": minimal_pdf(["第一页 13800138000", "第二页"], info={"Title": "x"}),
        "a.docx": docx_file(["正文", "13800138000"], header="页眉"),
        "a.xlsx": xlsx_file({"表": {"A1": "13800138000"}}),
    }[name]
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(len(damaged))]
        scan = scan_bytes(bytes(damaged), name)
        shown = (scan.error or "") + "".join(where for where, _ in scan.marks)
        assert not any(unicodedata.category(ch)[0] == "C" for ch in shown), repr(shown)
