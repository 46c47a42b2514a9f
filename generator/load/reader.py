"""Read entry files safely, keeping the line and column of every key and value.

YAML is parsed by PyYAML's C parser (pure-Python fallback) into events, and the
events are built into plain Python values by :mod:`generator.load.yaml_builder`,
so that nothing beyond plain data can be made. Size is bounded before parsing,
and files that are not UTF-8 text, or are symbolic links, are refused.
"""

from __future__ import annotations

from pathlib import Path

from generator.load.entry import FileProblem, RawEntry
from generator.load.yaml_builder import Builder
from generator.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
ENTRY_SUFFIX = ".yaml"


def load_entry(path: Path, display_path: str, folder: str) -> tuple[RawEntry | None, list[Problem]]:
    """Read one entry file; return it, or None and the problem that stopped it."""
    entry = RawEntry(path=path, display_path=display_path, folder=folder, data={})
    builder = Builder(entry)
    try:
        entry.data = builder.build(_read_text(path))
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    except FileProblem as problem:
        builder.problems.append(problem)
    if builder.problems:
        found = sorted(builder.problems, key=lambda p: (p.line, p.col))
        return None, [Problem(display_path, p.line, p.col, p.message, p.field) for p in found]
    return entry, []


def _read_text(path: Path) -> str:
    if path.is_symlink():
        raise FileProblem("entry files may not be symbolic links; commit the file itself")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(f"file is {size} bytes; an entry file may be at most {MAX_FILE_BYTES} bytes")
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise FileProblem("file contains a NUL byte; entry files are UTF-8 text", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblem(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, col
        ) from None
    return text.removeprefix("\ufeff")
