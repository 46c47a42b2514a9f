"""The files a full build offers for download: the PDF, the open data, and a zip of a folder."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from generator.editions.history import History
from generator.exports import write_exports
from generator.link.atlas import Atlas
from generator.output import write_file_atomically
from generator.pdf.write import write_atlas_pdf

PDF_NAME = "atlas.pdf"
DATA_FOLDER = "data"
OFFLINE_ZIP = "atlas-offline.zip"


def write_downloads(
    atlas: Atlas, site_dir: Path, *, content_dir: Path | None, version: str, pdf: bool = True, history: History | None = None
) -> list[Path]:
    """Write the PDF (unless ``pdf`` is false; with ``history``, its chapter of this edition's changes) and the open data
    into a built site; return what was written."""
    if not pdf:
        return write_exports(atlas, site_dir / DATA_FOLDER)
    write_atlas_pdf(atlas, site_dir / PDF_NAME, content_dir=content_dir, version=version, history=history)
    return [site_dir / PDF_NAME, *write_exports(atlas, site_dir / DATA_FOLDER)]


def zip_folder(folder: Path, out: Path, day: dt.date) -> int:
    """Zip every file under ``folder`` into ``out`` reproducibly (sorted, dated ``day``); return the file count."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    names = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in names:
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    write_file_atomically(out, buffer.getvalue())
    return len(names)
