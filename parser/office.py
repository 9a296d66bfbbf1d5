"""DOC / WPS reader: LibreOffice converts the file to DOCX, then the DOCX reader reads it.

LibreOffice runs headless in a private temporary directory with its own user profile (so
conversions never share or corrupt a profile and can run side by side), under a time limit;
on timeout its whole process group is killed, so no ``soffice.bin`` outlives the call.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parser import docx
from parser.document import Document
from parser.errors import CorruptDocument, DocumentTooLarge, MissingProgram

MAX_BYTES = 64 * 1024 * 1024
TIME_LIMIT = 120.0  # seconds; a cold LibreOffice start with a fresh profile takes ~3-10 s
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, name: str | None) -> Document:
    """Read a Word 97-2003 (.doc) or Kingsoft WPS (.wps) file."""
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(name, len(data), MAX_BYTES)
    if not data.startswith(_OLE):
        raise CorruptDocument(name, "not a .doc/.wps file: no OLE compound-file header")
    fmt = "wps" if (name or "").lower().split("?")[0].endswith(".wps") else "doc"
    converted = convert(data, name, suffix=fmt)
    return docx.read(converted, name, fmt=fmt)


def convert(data: bytes, name: str | None, *, suffix: str = "doc") -> bytes:
    """The DOCX LibreOffice makes of ``data``; raises ``MissingProgram`` without LibreOffice."""
    program = soffice()
    if program is None:
        raise MissingProgram("soffice (LibreOffice)", "read .doc and .wps documents")
    with tempfile.TemporaryDirectory(prefix="gkwatch-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"input.{suffix}"
        source.write_bytes(data)
        (work / "out").mkdir()
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nofirststartwizard",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        process = subprocess.Popen(
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed as a whole on timeout
        )
        try:
            _, err = process.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise CorruptDocument(
                name, f"LibreOffice did not convert it within {TIME_LIMIT:.0f} s"
            ) from None
        result = work / "out" / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise CorruptDocument(name, f"LibreOffice could not convert it ({detail[0][:200]})")
        return result.read_bytes()


def _kill(process: subprocess.Popen[bytes]) -> None:
    # The group leader is not reaped yet, so its id still names our group and no other.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
