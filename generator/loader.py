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
    """One entry file as plain data, with the parser's event for every key and value (for positions)."""

    path: Path
    display_path: str
    folder: str
    data: dict[str, Any]
    values: dict[KeyPath, Any] = field(default_factory=dict)
    keys: dict[KeyPath, Any] = field(default_factory=dict)

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        """The position of ``path`` (its key if ``key``), or of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return _mark_of(table[path])
            if path in self.values:
                return _mark_of(self.values[path])
            path = path[:-1]
        return _mark_of(self.values[()]) if () in self.values else Mark(1, 1)


@dataclass(frozen=True)
class Positions:
    """The positions a file's checks across entries may need, kept instead of the whole file."""

    display_path: str
    marks: dict[KeyPath, Mark]

    @classmethod
    def keep(cls, raw: RawEntry, paths: list[KeyPath]) -> Positions:
        return cls(raw.display_path, {path: raw.mark(path) for path in paths})

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        return self.marks.get(path, Mark(1, 1))


def _mark_of(event: Any) -> Mark:
    if isinstance(event, Mark):
        return event
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    if isinstance(event, yaml.ScalarEvent):
        return Mark(line, col, event.value, event.style not in (None, ""))
    return Mark(line, col)


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


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_MERGE = "tag:yaml.org,2002:merge"


def _plain_tag(value: str) -> str:
    """The tag YAML gives an unquoted scalar (what the resolver does, without its overhead)."""
    for tag, pattern in _IMPLICIT.get(value[:1] if value else "", ()):
        if pattern.match(value):
            return tag
    for tag, pattern in _IMPLICIT.get(None, ()):
        if pattern.match(value):
            return tag
    return _STR


def _tag_of(event: yaml.ScalarEvent) -> str:
    if event.tag is None:
        return _plain_tag(event.value) if event.implicit[0] else _STR
    return _STR if event.tag == "!" else event.tag


class _Builder:
    """Builds plain values from the parser's events, in one loop without recursion.

    Reading events (not composed nodes) keeps deep nesting from exhausting the
    stack and refuses aliases before anything is expanded. The event of every
    key and value is kept on the entry by its path, so that a problem can name
    its line and column (:meth:`RawEntry.mark` reads them only when asked).
    """

    def __init__(self, entry: RawEntry) -> None:
        self.entry = entry

    def build(self, text: str) -> dict[str, Any]:
        loader = SafeLoader(text)
        try:
            root = self._run(loader)
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
        finally:
            loader.dispose()
        if root is None or root == "":
            raise _FileProblem(_EMPTY)
        return root

    def _run(self, loader: Any) -> Any:  # noqa: C901 - one tight loop, on purpose: it is the hot path
        values = self.entry.values
        # Each open mapping or list: [container, its path, the pending key (mappings), is a mapping]
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        check, get = loader.check_event, loader.get_event
        while check():
            event = get()
            kind = event.__class__
            if kind is yaml.ScalarEvent:
                if not stack:
                    root = self._top_scalar(event)
                    continue
                top = stack[-1]
                if top[3] and top[2] is None:
                    top[2] = self._key(event, top)
                    continue
                path = (*top[1], top[2]) if top[3] else (*top[1], len(top[0]))
                values[path] = event
                value = self._value(event, path)
                if top[3]:
                    top[0][top[2]] = value
                    top[2] = None
                else:
                    top[0].append(value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                is_map = kind is yaml.MappingStartEvent
                if event.tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                    raise self._tag_problem(event.tag, event, self._path_of(stack))
                container: Any = {} if is_map else []
                if not stack:
                    if not is_map:
                        raise _FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))
                    root, path = container, ()
                else:
                    top = stack[-1]
                    if top[3] and top[2] is None:
                        raise _FileProblem("field names must be plain text, not a mapping or list", *_at(event.start_mark), field=dotted(top[1]))
                    if len(stack) >= MAX_DEPTH:
                        raise _FileProblem(f"nesting is too deep; entries nest at most {MAX_DEPTH} levels", *_at(event.start_mark))
                    path = (*top[1], top[2]) if top[3] else (*top[1], len(top[0]))
                    if top[3]:
                        top[0][top[2]] = container
                        top[2] = None
                    else:
                        top[0].append(container)
                values[path] = event
                stack.append([container, path, None, is_map])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _FileProblem("file holds several YAML documents (`---`); put one entry in each file", *_at(event.start_mark))
            elif kind is yaml.AliasEvent:
                raise _FileProblem(
                    "anchors and aliases (`&name`, `*name`) are not allowed in entries; write the value out",
                    *_at(event.start_mark),
                    field=dotted(self._path_of(stack)),
                )
        return root

    @staticmethod
    def _path_of(stack: list[list[Any]]) -> KeyPath:
        if not stack:
            return ()
        top = stack[-1]
        if not top[3]:
            return (*top[1], len(top[0]))
        return (*top[1], top[2]) if top[2] is not None else top[1]

    def _top_scalar(self, event: yaml.ScalarEvent) -> Any:
        if event.value == "" or _tag_of(event) == "tag:yaml.org,2002:null":
            raise _FileProblem(_EMPTY)
        raise _FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))

    def _key(self, event: yaml.ScalarEvent, top: list[Any]) -> str:
        tag = _tag_of(event)
        if tag == _MERGE:
            raise _FileProblem("merge keys (`<<`) are not allowed in entries; write the fields out", *_at(event.start_mark))
        if tag != _STR:
            shown = f"'{event.value}'" if event.value else "an empty key"
            raise _FileProblem(f"field names must be plain text, not {shown}", *_at(event.start_mark), field=dotted(top[1]))
        key = event.value
        child = (*top[1], key)
        if key in top[0]:
            first = _at(self.entry.keys[child].start_mark)[0]
            raise _FileProblem(
                f"duplicate field '{dotted(child)}' (first given at line {first}); keep one",
                *_at(event.start_mark),
                field=dotted(child),
            )
        self.entry.keys[child] = event
        return key

    def _value(self, event: yaml.ScalarEvent, path: KeyPath) -> Any:
        tag = _tag_of(event)
        if tag == _STR or tag in _TEXT_TAGS:  # `<<` and `=` only mean something as keys; as values they are text
            return event.value
        if tag not in _PLAIN_TAGS:
            raise self._tag_problem(tag, event, path)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.yaml_constructors[tag](_constructor, node)
        except Exception:  # a value that does not fit its tag (`!!bool abc`, `2025-13-40`) is checked as text
            return InvalidDate(event.value) if tag == _TIMESTAMP else event.value

    @staticmethod
    def _tag_problem(tag: str, event: yaml.NodeEvent, path: KeyPath) -> _FileProblem:
        return _FileProblem(
            f"the YAML tag '{tag}' is not allowed in entries; use plain text, numbers, dates, lists and mappings",
            *_at(event.start_mark),
            field=dotted(path),
        )


class InvalidDate(str):
    """A value written like a date (``2025-13-40``) that is not a real date."""


def dotted(path: KeyPath) -> str:
    """A key path written as ``sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
