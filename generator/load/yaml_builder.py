"""Build plain values from PyYAML's events, refusing whatever would change what a contributor typed.

Tags, anchors, aliases, merge keys and directives are refused, duplicate keys are
errors, and depth is bounded; so are a value starting with ``&``, ``*`` or ``!``
(read as an anchor, alias or tag, which drop from the text), a number YAML 1.1
reads in another base or without its ``_`` or ``:`` (``010`` is 8, ``1:20`` is 80),
and text cut short by a `` #`` that YAML reads as the start of a comment. Those
last two are reported together, every one in the file; the others stop the reading.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import yaml

from generator.load.entry import FileProblem, InvalidDate, KeyPath, RawEntry, dotted

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 16

_TEXT_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_constructor = yaml.constructor.SafeConstructor()


def _yaml_reason(exc: yaml.MarkedYAMLError, text: str) -> str:
    reason = exc.problem or exc.context or "cannot be read"
    mark = exc.problem_mark
    if mark is not None:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in line[: mark.column + 1]:
            return f"{reason} (a tab: indent with spaces, not tabs)"
        if exc.problem == "found character that cannot start any token" and line[mark.column : mark.column + 1] in ("@", "`"):
            return f"{reason} (a value cannot start with '{line[mark.column]}': quote the value)"
    return reason


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


class _Position(Protocol):
    """Where in the text an event starts or ends (PyYAML's Mark, from its C or Python parser)."""

    index: int
    line: int
    column: int


def _start(event: yaml.Event) -> _Position:
    """Where an event starts: the parser marks every event it gives."""
    assert event.start_mark is not None
    return event.start_mark


def _end(event: yaml.Event) -> _Position:
    """Where an event ends."""
    assert event.end_mark is not None
    return event.end_mark


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


_EMPTY = "file is empty; an entry needs at least id, kind, name, summary, sources and last_reviewed"


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
_MERGE = "tag:yaml.org,2002:merge"

# Numbers as typed that YAML 1.1 reads as typed: decimal digits (a sign, a point, an exponent).
_DECIMAL = {
    _INT: re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z"),
    _FLOAT: re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?\Z"),
}
# An anchor, alias or tag as typed (up to white space or a flow indicator).
_PREFIX = re.compile(r"!<[^>\s]*>|[&*!][^\s,\[\]{}]*")
# A comment that cuts plain text short: ' #' then no space, on the same line or the next one.
_CUT_HERE = re.compile(r"[ \t]+(#\S[^\r\n]*)")
_CUT_BELOW = re.compile(r"[ \t]*(?:\r\n|\r|\n)([ \t]+)(#\S[^\r\n]*)")
# What the scanner was reading when a value starting with an indicator broke the syntax.
_SCANNING = {
    "while scanning an anchor": ("&", "an anchor"),
    "while scanning an alias": ("*", "an alias"),
    "while scanning a tag": ("!", "a tag"),
    "while parsing a tag": ("!", "a tag"),
}


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


def _named(path: KeyPath) -> str:
    """``'sources[0].title'``, or ``the entry`` for the top level."""
    return f"'{dotted(path)}'" if path else "the entry"


def _shorten(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def _number_problem(written: str, tag: str, value: Any) -> str | None:
    """Why a plain scalar YAML reads as a number is not the number as typed, or None when it is."""
    if _DECIMAL[tag].match(written):
        return None
    digits = written.lstrip("+-").lower()
    if tag == _FLOAT and digits in (".inf", ".nan"):
        meaning = "not a number" if digits == ".nan" else ("minus infinity" if written.startswith("-") else "infinity")
        return f"which YAML reads as {meaning}; quote it if you mean text"
    if ":" in written:
        base = "the base-60 number"
    elif digits.startswith("0b"):
        base = "the binary number"
    elif digits.startswith("0x"):
        base = "the hexadecimal number"
    elif tag == _INT and digits.startswith("0"):
        base = "the octal number"
    else:
        base = "the number"
    return f"which YAML reads as {base} {value!r}; write the number in decimal digits ({value!r}), or quote it if you mean text"


class Builder:
    """Builds plain values from the parser's events, in one loop without recursion.

    Reading events (not composed nodes) keeps deep nesting from exhausting the
    stack and refuses aliases before anything is expanded. The event of every
    key and value is kept on the entry by its path, so that a problem can name
    its line and column (:meth:`RawEntry.mark` reads them only when asked).
    Problems that do not stop the reading are collected in :attr:`problems`.
    """

    def __init__(self, entry: RawEntry) -> None:
        self.entry = entry
        self.text = ""
        self.hashes = False
        # Each open mapping or list: [container, its path, the pending key (mappings), is a mapping]
        self.stack: list[list[Any]] = []
        self.problems: list[FileProblem] = []

    def build(self, text: str) -> dict[str, Any]:
        self.text, self.hashes = text, "#" in text
        loader = SafeLoader(text)
        try:
            root = self._run(loader)
        except yaml.MarkedYAMLError as exc:
            raise self._syntax_problem(exc, text) from None
        except yaml.reader.ReaderError as exc:
            line, col = _line_col(text, exc.position)
            raise FileProblem(
                f"the file contains the control character U+{exc.character:04X}; remove it" if isinstance(exc.character, int)
                else f"YAML syntax: {exc.reason}", line, col,
            ) from None
        except yaml.YAMLError as exc:
            raise FileProblem(f"YAML syntax: {' '.join(str(exc).split())}") from None
        finally:
            loader.dispose()
        if root is None or root == "":
            raise FileProblem(_EMPTY)
        return root

    def _syntax_problem(self, exc: yaml.MarkedYAMLError, text: str) -> FileProblem:
        scanning = _SCANNING.get(exc.context or "")
        if scanning is not None and exc.context_mark is not None:
            char, meaning = scanning
            typed = _PREFIX.match(text, exc.context_mark.index)
            word = typed.group() if typed and typed.group().startswith(char) else char
            top = self.stack[-1] if self.stack else None
            if top is not None and top[3] and top[2] is None:
                message = f"a field name starts with '{word}', which YAML reads as {meaning}; remove it"
            else:
                message = f"{_named(self._path_of(self.stack))} starts with '{word}', which YAML reads as {meaning}; quote the value"
            return FileProblem(message, *_at(exc.context_mark), field=dotted(self._path_of(self.stack)))
        mark = exc.problem_mark or exc.context_mark
        line, col = _at(mark) if mark else (1, 1)
        return FileProblem(f"YAML syntax: {_yaml_reason(exc, text)}", line, col)

    def _run(self, loader: Any) -> Any:
        values = self.entry.values
        stack = self.stack
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
                value = self._value(event, path, top[3])
                if top[3]:
                    top[0][top[2]] = value
                    top[2] = None
                else:
                    top[0].append(value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                is_map = kind is yaml.MappingStartEvent
                if event.anchor is not None or event.tag is not None:
                    raise self._prefix_problem(event, self._path_of(stack))
                container: Any = {} if is_map else []
                if not stack:
                    if not is_map:
                        raise FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))
                    root, path = container, ()
                else:
                    top = stack[-1]
                    if top[3] and top[2] is None:
                        raise FileProblem("field names must be plain text, not a mapping or list", *_at(event.start_mark), field=dotted(top[1]))
                    if len(stack) >= MAX_DEPTH:
                        raise FileProblem(f"nesting is too deep; entries nest at most {MAX_DEPTH} levels", *_at(event.start_mark))
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
                    raise FileProblem("file holds several YAML documents (`---`); put one entry in each file", *_at(event.start_mark))
                if event.tags or (event.version is not None and tuple(event.version) != (1, 1)):
                    raise self._directive_problem(event)
            elif kind is yaml.AliasEvent:
                raise self._alias_problem(event, stack)
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
            raise FileProblem(_EMPTY)
        raise FileProblem("an entry must be a mapping of fields (`name: value` lines) at the top level", *_at(event.start_mark))

    def _key(self, event: yaml.ScalarEvent, top: list[Any]) -> str:
        if event.anchor is not None or event.tag is not None:
            word, meaning = self._first_prefix(event)
            raise FileProblem(
                f"the field name '{event.value}' starts with '{word}', which YAML reads as {meaning}; remove it",
                *_at(event.start_mark),
                field=dotted((*top[1], event.value)),
            )
        tag = _tag_of(event)
        if tag == _MERGE:
            raise FileProblem("merge keys (`<<`) are not allowed in entries; write the fields out", *_at(event.start_mark), field=dotted(top[1]))
        if tag != _STR:
            shown = f"'{event.value}'" if event.value else "an empty key"
            raise FileProblem(f"field names must be plain text, not {shown}", *_at(event.start_mark), field=dotted(top[1]))
        key = event.value
        child = (*top[1], key)
        if key in top[0]:
            first = _at(self.entry.keys[child].start_mark)[0]
            raise FileProblem(
                f"duplicate field '{dotted(child)}' (first given at line {first}); keep one",
                *_at(event.start_mark),
                field=dotted(child),
            )
        self.entry.keys[child] = event
        return key

    def _value(self, event: yaml.ScalarEvent, path: KeyPath, in_mapping: bool) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise self._prefix_problem(event, path)
        if not event.implicit[0]:  # quoted, or a block scalar: text as typed
            return event.value
        tag = _plain_tag(event.value)
        if tag == _STR:
            if self.hashes:
                self._check_cut(event, path, in_mapping)
            return event.value
        if tag in _TEXT_TAGS:  # `<<` and `=` only mean something as keys; as values they are text
            return event.value
        node = yaml.ScalarNode(tag, event.value, style=event.style)  # no marks: a value that does not fit is text, not an error here
        try:
            value = _constructor.yaml_constructors[tag](_constructor, node)
        except Exception:  # a value that does not fit its tag (`2025-13-40`) is checked as text
            return InvalidDate(event.value) if tag == _TIMESTAMP else event.value
        if tag in _DECIMAL:
            why = _number_problem(event.value, tag, value)
            if why is not None:
                self.problems.append(FileProblem(f"{_named(path)} is {event.value}, {why}", *_at(event.start_mark), field=dotted(path)))
        return value

    def _check_cut(self, event: yaml.ScalarEvent, path: KeyPath, in_mapping: bool) -> None:
        """A problem when a comment right after plain text (``Room #5``) looks like more of the text."""
        end = _end(event).index
        here = _CUT_HERE.match(self.text, end)
        if here is not None:
            line, col = _end(event).line + 1, _end(event).column + 1 + here.start(1) - end
            comment = here.group(1)
        else:
            below = _CUT_BELOW.match(self.text, end) if in_mapping else None
            key = self.entry.keys.get(path)
            if below is None or key is None or len(below.group(1)) <= key.start_mark.column:
                return
            line, col = _end(event).line + 2, len(below.group(1)) + 1
            comment = below.group(2)
        self.problems.append(FileProblem(
            f"{_named(path)} is cut before '{_shorten(comment.rstrip())}': YAML reads it as a comment and drops it from the text; quote the value",
            line, col, field=dotted(path),
        ))

    def _first_prefix(self, event: yaml.NodeEvent) -> tuple[str, str]:
        """The anchor or tag written first before a value, as typed, and what YAML reads it as."""
        found = _PREFIX.match(self.text, _start(event).index)
        word = found.group() if found else ("&" + event.anchor if event.anchor is not None else "!")
        return word, ("an anchor" if word.startswith("&") else "a tag")

    def _prefix_problem(self, event: yaml.NodeEvent, path: KeyPath) -> FileProblem:
        word, meaning = self._first_prefix(event)
        if isinstance(event, yaml.ScalarEvent) and event.style in (None, ""):
            message = f"{_named(path)} starts with '{word}', which YAML reads as {meaning} and drops from the text; quote the value"
        else:
            what = meaning.split()[-1]
            message = f"{_named(path)} has the YAML {what} '{word}'; {what}s are not allowed in entries: remove it"
        return FileProblem(message, *_at(event.start_mark), field=dotted(path))

    def _alias_problem(self, event: yaml.AliasEvent, stack: list[list[Any]]) -> FileProblem:
        found = _PREFIX.match(self.text, _start(event).index)
        word = found.group() if found else f"*{event.anchor}"
        path = self._path_of(stack)
        top = stack[-1] if stack else None
        if top is not None and top[3] and top[2] is None:
            message = f"field names must be plain text, not the alias '{word}'"
        else:
            message = f"{_named(path)} starts with '{word}', which YAML reads as an alias (a copy of another value); quote the value"
        return FileProblem(message, *_at(event.start_mark), field=dotted(path))

    def _directive_problem(self, event: yaml.DocumentStartEvent) -> FileProblem:
        line, col = _at(event.start_mark)
        lines = self.text.splitlines()
        shown = lines[line - 1].split("#")[0].strip() if line <= len(lines) else "%"
        why = " (they are always read as YAML 1.1)" if shown.startswith("%YAML") else ""
        return FileProblem(f"the YAML directive '{shown}' is not allowed in entries{why}; remove the line", line, col)
