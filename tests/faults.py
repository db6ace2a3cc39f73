"""Hostile files for the fault-injection tests: each is small on disk and built to exhaust
a reader (a PDF page tree that reuses one node, a PDF compression bomb, a Word file of
millions of empty paragraphs)."""

from __future__ import annotations

import io
import zipfile
import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_tree_bomb(depth: int = 12, fan: int = 10) -> bytes:
    """A ~2 KB PDF whose page tree names one node ``fan`` times per level: fan**depth pages."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    content = depth + 3
    for level in range(depth):
        kid = 3 + level
        kids = b" ".join([f"{kid} 0 R".encode()] * fan)
        count = str(fan ** (depth - level)).encode()
        objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + count + b" >>")
    objects.append(
        f"<< /Type /Page /MediaBox [0 0 612 792] /Contents {content} 0 R "
        f"/Resources << /Font << /F1 {content + 1} 0 R >> >> >>".encode()
    )
    stream = b"BT /F1 12 Tf 72 720 Td (Lighthouse keepers guard the coast.) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(_FONT)
    return _pdf(objects)


def compression_bomb(inflated_mb: int = 200) -> bytes:
    """A ~1 MB PDF whose one content stream inflates to ``inflated_mb`` MB."""
    line = b"BT /F1 12 Tf 72 720 Td (" + b"A" * 100 + b") Tj ET\n"
    packed = zlib.compress(line * (inflated_mb * (1 << 20) // len(line)), 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream",
            _FONT,
        ]
    )


def empty_paragraphs_docx(paragraphs: int = 2_000_000, prefix: bytes = b"w") -> bytes:
    """A Word package (~20 KB) whose body is ``paragraphs`` empty paragraphs, written with
    the WordprocessingML namespace bound to ``prefix`` (Word writes "w"; any is valid)."""
    p = prefix
    body = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b"<" + p + b":document xmlns:" + p
        + b'="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<" + p + b":body>" + (b"<" + p + b":p/>") * paragraphs
        + b"</" + p + b":body></" + p + b":document>"
    )  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        package.writestr("word/document.xml", body)
    return out.getvalue()
