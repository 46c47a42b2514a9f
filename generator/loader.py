"""Read entry files safely, keeping the line and column of every key and value.

YAML is composed with PyYAML's C loader (pure-Python fallback) into nodes, and
the nodes are turned into plain Python values here, so that nothing beyond
plain data can be built: only the core YAML tags are accepted, aliases and merge
keys are refused, duplicate keys are errors, and size and depth are bounded.
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
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_constructor = yaml.constructor.SafeConstructor()


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
    def __init__(self, message: str, line: int = 1, col: int = 1, field: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.field = message, line, col, field


def load_entry(path: Path, display_path: str, folder: str) -> tuple[RawEntry | None, list[Problem]]:
    """Read one entry file; return it, or None and the problems that stopped it."""
    try:
        text = _read_text(path)
        root = _compose(text)
        entry = RawEntry(path=path, display_path=display_path, folder=folder, data={})
        entry.values[()] = Mark(root.start_mark.line + 1, root.start_mark.column + 1)
        if not isinstance(root, yaml.MappingNode) or root.tag != _MAP_TAG:
            raise _FileProblem(
                "an entry must be a mapping of fields (`name: value` lines) at the top level",
                root.start_mark.line + 1,
                root.start_mark.column + 1,
            )
        entry.data = _Builder(entry).build(root, (), depth=0)
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
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _FileProblem("file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed")
    return text


def _compose(text: str) -> yaml.Node:
    try:
        documents = list(yaml.compose_all(text, Loader=SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _FileProblem(f"YAML syntax: {_yaml_reason(exc)}", line, col) from None
    except yaml.YAMLError as exc:
        raise _FileProblem(f"YAML syntax: {exc}") from None
    except RecursionError:
        raise _FileProblem(f"nesting is too deep; entries nest at most {MAX_DEPTH} levels") from None
    documents = [doc for doc in documents if doc is not None]
    if not documents:
        raise _FileProblem("file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed")
    if len(documents) > 1:
        second = documents[1].start_mark
        raise _FileProblem(
            "file holds several YAML documents (`---`); put one entry in each file",
            second.line + 1,
            second.column + 1,
        )
    return documents[0]


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    reason = exc.problem or exc.context or "cannot be read"
    if "found character '\\t'" in reason or "found a tab character" in reason:
        return f"{reason} (indent with spaces, not tabs)"
    return reason


class _Builder:
    """Turns composed nodes into plain values, recording positions on the entry."""

    def __init__(self, entry: RawEntry) -> None:
        self.entry = entry
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        at = node.start_mark
        if depth > MAX_DEPTH:
            raise _FileProblem(f"nesting is too deep; entries nest at most {MAX_DEPTH} levels", at.line + 1, at.column + 1)
        if id(node) in self.seen:
            raise _FileProblem(
                "anchors and aliases (`&name`, `*name`) are not allowed in entries; write the value out",
                at.line + 1,
                at.column + 1,
                dotted(path),
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            self.entry.values[path] = Mark(at.line + 1, at.column + 1)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            self.entry.values[path] = Mark(at.line + 1, at.column + 1)
            return self._mapping(node, path, depth)
        raise self._tag_problem(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            at = key_node.start_mark
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _FileProblem("merge keys (`<<`) are not allowed in entries; write the fields out", at.line + 1, at.column + 1)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _FileProblem(
                    f"field names must be plain text, not {_describe_node(key_node)}", at.line + 1, at.column + 1, dotted(path)
                )
            key = key_node.value
            child = (*path, key)
            if key in result:
                first = self.entry.keys[child]
                raise _FileProblem(
                    f"duplicate field '{dotted(child)}' (first given at line {first.line}); keep one",
                    at.line + 1,
                    at.column + 1,
                    dotted(child),
                )
            self.entry.keys[child] = Mark(at.line + 1, at.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        at = node.start_mark
        if node.tag not in _PLAIN_TAGS:
            raise self._tag_problem(node, path)
        self.entry.values[path] = Mark(at.line + 1, at.column + 1, node.value, node.style not in (None, ""))
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return _constructor.yaml_constructors[node.tag](_constructor, node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return InvalidDate(node.value)
            return node.value

    def _tag_problem(self, node: yaml.Node, path: KeyPath) -> _FileProblem:
        at = node.start_mark
        return _FileProblem(
            f"the YAML tag '{node.tag}' is not allowed in entries; use plain text, numbers, dates, lists and mappings",
            at.line + 1,
            at.column + 1,
            dotted(path),
        )


class InvalidDate(str):
    """A value written like a date (``2025-13-40``) that is not a real date."""


def _describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def dotted(path: KeyPath) -> str:
    """A key path written as ``sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
