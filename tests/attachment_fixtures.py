"""Real attachment files for tests: a hand-written PDF, and DOCX / XLSX made with python-docx and openpyxl."""

from __future__ import annotations

import io


def minimal_pdf(pages: list[str], info: dict[str, str] | None = None) -> bytes:
    """A valid PDF with one page per text, written by hand: catalog, page tree, a page with a
    content stream each, one Type0 font (Identity-H) whose ToUnicode CMap makes its text any
    characters, Chinese included, as a PDF printed from Word does; optional document properties."""
    chars = sorted(set("".join(pages)) | {" "})
    codes = {ch: i + 1 for i, ch in enumerate(chars)}
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Gk def /CMapType 2 def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange "
        f"{len(chars)} beginbfchar "
        + " ".join(f"<{codes[c]:04X}> <{ord(c):04X}>" for c in chars)
        + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    n = len(pages)
    font = 3 + 2 * n
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, text in enumerate(pages):
        hexes = "".join(f"{codes[c]:04X}" for c in text)
        stream = f"BT /F1 12 Tf 72 720 Td <{hexes}> Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        f"/DescendantFonts [{font + 1} 0 R] /ToUnicode {font + 2} 0 R >>".encode()
    )
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>"
    )
    objects.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    info_ref = ""
    if info:
        entries = " ".join(f"/{k} <FEFF{v.encode('utf-16-be').hex().upper()}>" for k, v in info.items())
        objects.append(f"<< {entries} >>".encode())
        info_ref = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def encrypted_pdf(pages: list[str], user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf(pages))))
    writer.encrypt(user_password, "owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_file(
    paragraphs: list[str], header: str = "", table: list[list[str]] | None = None, split_runs: str = ""
) -> bytes:
    """A Word document; `split_runs` is one more paragraph written a character per run."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if split_runs:
        paragraph = document.add_paragraph()
        for ch in split_runs:
            paragraph.add_run(ch)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file(sheets: dict[str, dict[str, object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, cells in sheets.items():
        sheet = book.create_sheet(title)
        for ref, value in cells.items():
            sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
