"""Read entry files safely, keeping the line and column of every key and value.

YAML is parsed by PyYAML's C parser (pure-Python fallback) into events, and the
events are built into plain Python values here, so that nothing beyond plain
data can be made: only the core YAML tags are accepted, aliases and merge keys
are refused, duplicate keys are errors, and size and depth are bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 16
ENTRY_SUFFIX = ".yaml"

KeyPath = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_TEXT_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Mark:
    """Where a value starts, and the text it was written as (for scalars)."""

    line: int
    col: int
    text: str | None = None
    quoted: bool = False


@dataclass
class RawEntry:
    """One entry file as plain data, with the position of every key and value."""

    path: Path
    display_path: str
    folder: str
    data: dict[str, Any]
    values: dict[KeyPath, Mark] = field(default_factory=dict)
    keys: dict[KeyPath, Mark] = field(default_factory=dict)

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        """The position of ``path`` (its key if ``key``), or of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Mark(1, 1))


class _FileProblem(Exception):
    """A problem that stops the reading of a file."""

    def __init__(self, message: str, line: int = 1, col: int = 1, *, field: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.field = message, line, col, field


def load_entry(path: Path, display_path: str, folder: str) -> tuple[RawEntry | None, list[Problem]]:
    """Read one entry file; return it, or None and the problem that stopped it."""
    entry = RawEntry(path=path, display_path=display_path, folder=folder, data={})
    try:
        entry.data = _Builder(entry).build(_read_text(path))
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    except _FileProblem as problem:
        return None, [Problem(display_path, problem.line, problem.col, problem.message, problem.field)]
    return entry, []


def _read_text(path: Path) -> str:
    if path.is_symlink():
        raise _FileProblem("entry files may not be symbolic links; commit the file itself")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _FileProblem(f"file is {size} bytes; an entry file may be at most {MAX_FILE_BYTES} bytes")
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileProblem("file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise _FileProblem("file contains a NUL byte; entry files are UTF-8 text", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _FileProblem(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, col
        ) from None
    return text.removeprefix("\ufeff")


def _yaml_reason(exc: yaml.MarkedYAMLError, text: str) -> str:
    reason = exc.problem or exc.context or "cannot be read"
    mark = exc.problem_mark
    if mark is not None:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in line[: mark.column + 1]:
            return f"{reason} (a tab: indent with spaces, not tabs)"
    return reason


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


_EMPTY = "file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed"


@dataclass
class _Frame:
    """An open mapping or list while the events of a file are read."""

    value: dict[str, Any] | list[Any]
    path: KeyPath
    key: str | None = None


class _Builder:
    """Builds plain values from the parser's events, without recursion.

    Reading events (not composed nodes) keeps deep nesting from exhausting the
    stack, refuses aliases before anything is expanded, and records the
    position of every key and value on the entry.
    """

    def __init__(self, entry: RawEntry) -> None:
        self.entry = entry
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def build(self, text: str) -> dict[str, Any]:
        try:
            for event in yaml.parse(text, Loader=SafeLoader):
                self._event(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = _at(mark) if mark else (1, 1)
            raise _FileProblem(f"YAML syntax: {_yaml_reason(exc, text)}", line, col) from None
        except yaml.reader.ReaderError as exc:
            line, col = _line_col(text, exc.position)
            raise _FileProblem(
                f"the file contains the control character U+{exc.character:04X}; remove it" if isinstance(exc.character, int)
                else f"YAML syntax: {exc.reason}", line, col,
            ) from None
        except yaml.YAMLError as exc:
            raise _FileProblem(f"YAML syntax: {' '.join(str(exc).split())}") from None
        if self.documents == 0 or self.root is None or self.root == "":
            raise _FileProblem(_EMPTY)
        return self.root

    def _event(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _FileProblem("file holds several YAML documents (`---`); put one entry in each file", *_at(event.start_mark))
        elif isinstance(event, yaml.AliasEvent):
            raise _FileProblem(
                "anchors and aliases (`&name`, `*name`) are not allowed in entries; write the value out",
                *_at(event.start_mark),
                field=dotted(self._child_path()),
            )
        elif isinstance(event, yaml.ScalarEvent):
            if self._expecting_key():
                self._key(event)
            else:
                self._attach(self._scalar(event), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()

    def _expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None

    def _child_path(self) -> KeyPath:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        return (*top.path, top.key) if top.key is not None else top.path

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        wanted = _MAP_TAG if is_map else _SEQ_TAG
        if event.tag not in (None, "!", wanted):
            raise self._tag_problem(event.tag, event)
        if self._expecting_key():
            raise _FileProblem("field names must be plain text, not a mapping or list", *_at(event.start_mark), field=dotted(self.stack[-1].path))
        if not self.stack and not is_map:
            raise _FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))
        if len(self.stack) >= MAX_DEPTH:
            raise _FileProblem(f"nesting is too deep; entries nest at most {MAX_DEPTH} levels", *_at(event.start_mark))
        container: dict[str, Any] | list[Any] = {} if is_map else []
        path = self._attach(container, event)
        self.stack.append(_Frame(container, path))

    def _attach(self, value: Any, event: yaml.NodeEvent) -> KeyPath:
        path = self._child_path()
        if not self.stack:
            if not isinstance(value, dict):
                if value is None or value == "":
                    raise _FileProblem(_EMPTY)
                raise _FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))
            self.root = value
        else:
            top = self.stack[-1]
            if isinstance(top.value, list):
                top.value.append(value)
            else:
                top.value[top.key] = value  # type: ignore[index]
                top.key = None
        if path not in self.entry.values:
            line, col = _at(event.start_mark)
            self.entry.values[path] = Mark(line, col)
        return path

    def _key(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1]
        tag = self._resolve(event)
        if tag == "tag:yaml.org,2002:merge":
            raise _FileProblem("merge keys (`<<`) are not allowed in entries; write the fields out", *_at(event.start_mark))
        if tag != "tag:yaml.org,2002:str":
            shown = f"'{event.value}'" if event.value else "an empty key"
            raise _FileProblem(f"field names must be plain text, not {shown}", *_at(event.start_mark), field=dotted(top.path))
        key = event.value
        child = (*top.path, key)
        if key in top.value:
            first = self.entry.keys[child]
            raise _FileProblem(
                f"duplicate field '{dotted(child)}' (first given at line {first.line}); keep one",
                *_at(event.start_mark),
                field=dotted(child),
            )
        self.entry.keys[child] = Mark(*_at(event.start_mark))
        top.key = key

    def _resolve(self, event: yaml.ScalarEvent) -> str:
        if event.tag not in (None, "!"):
            return event.tag
        if event.tag == "!":
            return "tag:yaml.org,2002:str"
        return _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = self._resolve(event)
        if tag not in _PLAIN_TAGS and tag not in _TEXT_TAGS:
            raise self._tag_problem(tag, event)
        line, col = _at(event.start_mark)
        self.entry.values[self._child_path()] = Mark(line, col, event.value, event.style not in (None, ""))
        if tag in _TEXT_TAGS:  # `<<` and `=` only mean something as keys; as values they are text
            return event.value
        if tag == "tag:yaml.org,2002:str":
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.yaml_constructors[tag](_constructor, node)
        except Exception:  # a value that does not fit its tag (`!!bool abc`, `2025-13-40`) is checked as text
            return InvalidDate(event.value) if tag == "tag:yaml.org,2002:timestamp" else event.value

    def _tag_problem(self, tag: str, event: yaml.NodeEvent) -> _FileProblem:
        return _FileProblem(
            f"the YAML tag '{tag}' is not allowed in entries; use plain text, numbers, dates, lists and mappings",
            *_at(event.start_mark),
            field=dotted(self._child_path()),
        )


class InvalidDate(str):
    """A value written like a date (``2025-13-40``) that is not a real date."""


def dotted(path: KeyPath) -> str:
    """A key path written as ``sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
