"""Hostile attachments: each gives a clear ``ParserError`` (or a record with warnings) quickly,
never a crash, a hang or a runaway process. The files are generated here."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest

import parser
from parser import docx as docx_reader
from parser import office, pdf_streams
from parser import pdf as pdf_reader
from parser.errors import CorruptDocument, ParserError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures"
HUAIAN = FIXTURES / "corpus/pdf/huaian-2024.pdf"
DOCX = FIXTURES / "attachments/jiaxing-2024.docx"
DOC = FIXTURES / "attachments/xinrong-2022.doc"


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A syntactically valid PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def _timed(call: object, limit: float) -> BaseException | None:
    start = time.monotonic()
    try:
        call()  # type: ignore[operator]
        error = None
    except ParserError as exc:
        error = exc
    assert time.monotonic() - start < limit
    return error


def test_pdf_with_a_10000_page_tree_is_refused_quickly() -> None:
    n = 10_000
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        ]
        + [_PAGE] * n
    )
    error = _timed(lambda: parser.parse(data, name="tree.pdf"), 10)
    assert isinstance(error, CorruptDocument) and "more than 300 pages" in str(error)
    assert "tree.pdf" in str(error)


def test_pdf_with_a_self_referencing_page_tree_is_refused() -> None:
    data = _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    )
    error = _timed(lambda: parser.parse(data, name="loop.pdf"), 10)
    assert isinstance(error, CorruptDocument) and "no pages" in str(error)


def test_encrypted_pdf_says_so() -> None:
    secret = b"/Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s>" % (
        os.urandom(32).hex().encode(),
        os.urandom(32).hex().encode(),
    )
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE,
            b"<< %s >>" % secret,
        ],
        b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16),
    )
    error = _timed(lambda: parser.parse(data, name="locked.pdf"), 10)
    assert isinstance(error, CorruptDocument) and "encrypted" in str(error)


@pytest.mark.parametrize("fraction", [0.05, 0.4, 0.9])
def test_truncated_pdf_is_an_error_or_a_record(fraction: float) -> None:
    data = HUAIAN.read_bytes()
    cut = data[: int(len(data) * fraction)]
    start = time.monotonic()
    try:
        record = parser.parse(cut, name="cut.pdf")
    except ParserError as exc:
        assert "cut.pdf" in str(exc)
    else:
        assert record.source.format == "pdf"
    assert time.monotonic() - start < 20


def test_pdf_header_followed_by_garbage() -> None:
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40
    error = _timed(lambda: parser.parse(data, name="junk.pdf"), 10)
    assert isinstance(error, CorruptDocument)


def test_pdf_reader_refuses_bytes_that_are_not_a_pdf() -> None:
    with pytest.raises(CorruptDocument, match="not a PDF"):
        pdf_reader.read(DOCX.read_bytes(), "lying.pdf")


_MIB_OF_SPACES = b" " * (1 << 20)


def _flate_bomb(mib: int) -> bytes:
    """Valid zlib data for ``mib`` MiB of spaces, built without compressing them all: one
    compressed MiB ending in a full flush (byte-aligned, nothing refers back across it),
    repeated, then an empty final block and the checksum."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(_MIB_OF_SPACES) + deflate.flush(zlib.Z_FULL_FLUSH)
    check = 1
    for _ in range(mib):
        check = zlib.adler32(_MIB_OF_SPACES, check)
    return b"\x78\xda" + block * mib + b"\x03\x00" + check.to_bytes(4, "big")


def _pdf_with_stream(dictionary: bytes, packed: bytes, content: bytes = b"4 0 R") -> bytes:
    """One page whose /Contents is ``content``; object 4 is the stream."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s"
            b" /Resources << /XObject << /Im1 4 0 R >> >> >>" % content,
            b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (dictionary, len(packed), packed),
            b"<< /Length 26 >>\nstream\nq 500 0 0 700 0 0 cm /Im1 Do Q\nendstream",
        ]
    )


def test_flate_bomb_helper_is_sound() -> None:
    assert zlib.decompress(_flate_bomb(3)) == _MIB_OF_SPACES * 3


def test_pdf_decompression_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = _flate_bomb(2048)  # about 2 MB standing for 2 GiB of page content
    assert len(bomb) < 3 * 2**20
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_stream(b"", bomb))
    # In a child process, so that its peak memory is its own: PDFium alone would try to
    # hold the whole 2 GiB.
    script = (
        "import resource, sys\n"
        "import parser\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    parser.parse(data, name='bomb.pdf')\n"
        "except parser.ParserError as exc:\n"
        "    print(exc)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    message, grown_kib = done.stdout.splitlines()
    assert message.startswith("bomb.pdf:") and "inflate to more than 256 MiB" in message
    assert int(grown_kib) < 64 * 1024
    assert time.monotonic() - start < 60


def test_inflation_limit_counts_every_stream_but_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_streams, "MAX_INFLATED", 4 * 2**20)
    eight_mib = zlib.compress(_MIB_OF_SPACES * 8)
    with pytest.raises(CorruptDocument, match="inflate to more than 4 MiB"):
        pdf_reader.read(_pdf_with_stream(b"", eight_mib), "content.pdf")
    # The same bytes as a (blank, grey) image: never decoded, so not counted. The page has
    # no text, so it reads as a scan.
    image = b"/Type /XObject /Subtype /Image /Width 2048 /Height 4096 /ColorSpace /DeviceGray"
    document = pdf_reader.read(
        _pdf_with_stream(image + b" /BitsPerComponent 8", eight_mib, b"5 0 R"), "scan.pdf"
    )
    assert [w.code for w in document.warnings] == ["needs_ocr"]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, body in members.items():
            package.writestr(name, body)
    return out.getvalue()


_DOCUMENT_XML = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
)


def test_docx_zip_bomb_is_refused_before_inflating() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (8 << 20)})
    assert len(data) < 100_000  # 8 MiB of zeros in ~8 KB: a bomb by ratio
    error = _timed(lambda: parser.parse(data, name="bomb.docx"), 5)
    assert isinstance(error, CorruptDocument) and "zip bomb" in str(error)


def test_docx_with_too_many_members_is_refused() -> None:
    members = {f"word/media/{i}.bin": b"x" for i in range(docx_reader.MAX_MEMBERS + 1)}
    data = _zip({"word/document.xml": _DOCUMENT_XML, **members})
    error = _timed(lambda: docx_reader.read(data, "many.docx"), 5)
    assert isinstance(error, CorruptDocument) and "members" in str(error)


def test_zip_that_is_not_a_word_document() -> None:
    data = _zip({"word/styles.xml": b"<x/>", "mimetype": b"application/zip"})
    with pytest.raises(CorruptDocument, match=r"word/document\.xml"):
        docx_reader.read(data, "other.docx")


def test_truncated_docx() -> None:
    data = DOCX.read_bytes()
    error = _timed(lambda: parser.parse(data[: len(data) // 2], name="cut.docx"), 5)
    assert isinstance(error, ParserError) and "cut.docx" in str(error)


def test_docx_with_broken_xml() -> None:
    data = _zip(
        {
            "[Content_Types].xml": (DOCX_TYPES := _content_types()),
            "_rels/.rels": _RELS,
            "word/document.xml": b"<w:document xmlns:w='x'><w:body><w:p>",
        }
    )
    assert DOCX_TYPES
    error = _timed(lambda: parser.parse(data, name="broken.docx"), 5)
    assert isinstance(error, CorruptDocument)


def _content_types() -> bytes:
    with zipfile.ZipFile(DOCX) as package:
        return package.read("[Content_Types].xml")


_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def test_extension_lies_image_named_pdf() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    with pytest.raises(ParserError):
        parser.parse(png, name="report.pdf")


def test_office_reader_refuses_non_ole_bytes() -> None:
    with pytest.raises(CorruptDocument, match="OLE"):
        office.read(HUAIAN.read_bytes(), "lying.doc")


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_doc_garbage_after_ole_header_is_an_error() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 64
    error = _timed(lambda: parser.parse(data, name="junk.doc"), 150)
    assert isinstance(error, ParserError) and "junk.doc" in str(error)  # never a crash


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_timeout_kills_its_whole_process_group(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(office, "TIME_LIMIT", 0.3)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(CorruptDocument, match="did not convert it within"):
        parser.parse(DOC.read_bytes(), name="slow.doc")
    time.sleep(0.2)
    left = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if str(tmp_path).encode() in cmdline:
                left.append(cmdline)
    assert left == []
