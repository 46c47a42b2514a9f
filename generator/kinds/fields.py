"""Field types of the entry schema: each checks a value, explains a mistake, and describes itself.

A field type turns a raw YAML value into a clean Python value or reports why it
cannot, with a hint where YAML 1.1 played a trick (``no`` read as false, an
unquoted date read as a date). Each type also gives its JSON Schema and a label
for the documentation, so the one declaration in :mod:`generator.kinds.declaration` drives
validation, the schema files, the field reference and the skeletons alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from generator.load.reader import InvalidDate, KeyPath, RawEntry, dotted
from generator.problems import Problem

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 64
_SLUG_RE = re.compile(SLUG_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOSE_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_YAML_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}

INVALID: Any = object()
PLACEHOLDER = "TODO"


# Control and invisible format characters (other than tab and line feed): bidi marks and overrides,
# zero-width spaces and joiners of words, invisible operators, interlinear annotations and tag characters.
# (U+200C and U+200D, the zero-width (non-)joiners, stay allowed: Persian, Indic scripts and emoji need them.)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


@dataclass(frozen=True)
class Reference:
    """An id named by an entry, to be checked once every entry is known."""

    path: KeyPath
    target: str
    kinds: tuple[str, ...]


@dataclass
class Checker:
    """Collects the problems and references found while checking one entry."""

    raw: RawEntry
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def error(
        self, path: KeyPath, message: str, *, at_key: bool = False, severity: str = "error", field: str | None = None
    ) -> None:
        """Record a problem at ``path`` (its key if ``at_key``); ``field`` names the field when it differs."""
        mark = self.raw.mark(path, key=at_key)
        name = dotted(path) if field is None else field
        self.problems.append(Problem(self.raw.display_path, mark.line, mark.col, message, name, severity))

    def warn(self, path: KeyPath, message: str) -> None:
        self.error(path, message, severity="warning")


def article(word: str) -> str:
    """``a forum``, ``an initiative``."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def describe_value(value: Any, checker: Checker | None = None, path: KeyPath = ()) -> str:
    """Say what a value is, the way a contributor wrote it."""
    written = checker.raw.mark(path).text if checker else None
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (written {written})" if written and written.lower() != str(value).lower() else str(value).lower()
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {written or value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {written or value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def yaml_hint(value: Any, checker: Checker, path: KeyPath, wanted: str) -> str:
    """A hint for a value YAML read as another type than the contributor meant."""
    mark = checker.raw.mark(path)
    written = mark.text or ""
    if isinstance(value, bool) and written.lower() in _YAML_BOOL_WORDS and wanted == "text":
        return f"; YAML reads an unquoted {written} as {str(value).lower()}: write \"{written}\" in quotes"
    if isinstance(value, (dt.date, InvalidDate)) and wanted == "text":
        return f"; YAML reads an unquoted {written} as a date: write \"{written}\" in quotes"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and wanted == "text":
        return f"; write \"{written}\" in quotes if you mean text"
    if value is None:
        return "; give a value or remove the line"
    return ""


class FieldType:
    """Base of all field types."""

    label = "value"
    description = ""

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def mismatch(self, value: Any, path: KeyPath, checker: Checker, wanted: str = "") -> Any:
        hint = yaml_hint(value, checker, path, wanted or self.label)
        checker.error(path, f"'{dotted(path)}' must be {self.label}, but is {describe_value(value, checker, path)}{hint}")
        return INVALID


class Text(FieldType):
    """One line of plain text."""

    label = "text"

    def __init__(self, *, multiline: bool = False, max_length: int = 500) -> None:
        self.multiline = multiline
        self.max_length = max_length

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, str) or isinstance(value, InvalidDate):
            return self.mismatch(value, path, checker, "text")
        text = value.strip()
        bad = _CONTROL.search(text)
        if bad is not None:
            checker.error(path, f"'{dotted(path)}' contains the control character U+{ord(bad.group()):04X}; remove it")
            return INVALID
        if not text:
            checker.error(path, f"'{dotted(path)}' is empty; write some text or remove the field")
            return INVALID
        if not self.multiline and "\n" in text:
            checker.error(path, f"'{dotted(path)}' must be one line of text; remove the line breaks")
            return INVALID
        if len(text) > self.max_length:
            checker.error(path, f"'{dotted(path)}' is {len(text)} characters long; at most {self.max_length} are allowed")
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if not self.multiline:
            schema["pattern"] = r"^[^\n]*\S[^\n]*$"
        return schema


class Markdown(Text):
    """Markdown text: one paragraph, or free prose."""

    def __init__(self, *, one_paragraph: bool = False, max_length: int = 20000) -> None:
        super().__init__(multiline=True, max_length=max_length)
        self.one_paragraph = one_paragraph
        self.label = "Markdown text (one paragraph)" if one_paragraph else "Markdown text"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        text = super().convert(value, path, checker)
        if text is not INVALID and self.one_paragraph and re.search(r"\n[ \t]*\n", text):
            checker.error(path, f"'{dotted(path)}' must be one paragraph; move the rest to 'description'")
            return INVALID
        return text

    def mismatch(self, value: Any, path: KeyPath, checker: Checker, wanted: str = "") -> Any:
        return super().mismatch(value, path, checker, "text")

    def json_schema(self) -> dict[str, Any]:
        schema = super().json_schema()
        if self.one_paragraph:
            schema["pattern"] = r"^(?![\s\S]*\n[ \t]*\n)[\s\S]*\S[\s\S]*$"
        return schema


class Slug(FieldType):
    """An id: lowercase letters, digits and single hyphens."""

    label = "an id (lowercase letters, digits and single hyphens, like 'space-data-association')"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, str) or isinstance(value, InvalidDate):
            return self.mismatch(value, path, checker, "text")
        if len(value) > SLUG_MAX or not _SLUG_RE.match(value):
            reason = f"is {len(value)} characters long" if len(value) > SLUG_MAX else f"is {value!r}"
            checker.error(
                path,
                f"'{dotted(path)}' must be an id of lowercase letters, digits and single hyphens"
                f" (like 'space-data-association'), at most {SLUG_MAX} characters, but {reason}",
            )
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX}


class Ref(Slug):
    """The id of another entry, of one of the given kinds."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds
        self.label = f"the id of a {' or '.join(kinds)}"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        result = super().convert(value, path, checker)
        if result is not INVALID:
            checker.references.append(Reference(path, result, self.kinds))
        return result


class Integer(FieldType):
    """A whole number, with bounds."""

    def __init__(self, minimum: int = 0, maximum: int = 10**12, label: str = "a whole number") -> None:
        self.minimum, self.maximum, self.label = minimum, maximum, label

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                checker.error(path, f"'{dotted(path)}' must be {self.label}, but is the text {value!r}; remove the quotes")
                return INVALID
            return self.mismatch(value, path, checker)
        if not self.minimum <= value <= self.maximum:
            checker.error(path, f"'{dotted(path)}' must be between {self.minimum} and {self.maximum}, but is {value}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


def Year() -> Integer:
    """A calendar year such as 1959."""
    return Integer(1000, 2999, "a year (like 1959)")


class Date(FieldType):
    """A calendar date written YYYY-MM-DD."""

    label = "a date (YYYY-MM-DD)"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if isinstance(value, dt.datetime):
            checker.error(path, f"'{dotted(path)}' must be a date without a time (YYYY-MM-DD)")
            return INVALID
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE_RE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if isinstance(value, str) and (isinstance(value, InvalidDate) or re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", value.strip())):
            checker.error(path, f"'{dotted(path)}' is not a valid date: {value!r}; write a real date as YYYY-MM-DD")
            return INVALID
        return self.mismatch(value, path, checker)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class LooseDate(Date):
    """A date, or only its year (an integer) or year and month ("YYYY-MM"), kept as text."""

    label = "a date (YYYY-MM-DD), a year and month (\"YYYY-MM\") or a year (1959)"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            if 1000 <= value <= 2999:
                return f"{value:04d}"
            checker.error(path, f"'{dotted(path)}' must be a year between 1000 and 2999, but is {value}")
            return INVALID
        if isinstance(value, str) and not isinstance(value, InvalidDate) and _LOOSE_DATE_RE.match(value.strip()):
            text = value.strip()
            try:
                dt.date.fromisoformat((text + "-01-01")[:10]) if len(text) < 10 else dt.date.fromisoformat(text)
            except ValueError:
                checker.error(path, f"'{dotted(path)}' is not a valid date: {value!r}")
                return INVALID
            return text
        converted = super().convert(value, path, checker)
        return converted.isoformat() if isinstance(converted, dt.date) else converted

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 2999},
            ]
        }


class Url(FieldType):
    """An absolute http(s) URL."""

    label = "an http(s) URL"

    def __init__(self, schemes: tuple[str, ...] = ("http", "https")) -> None:
        self.schemes = schemes

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, str):
            return self.mismatch(value, path, checker, "text")
        url = value.strip()
        if not is_web_url(url, self.schemes):
            checker.error(path, f"'{dotted(path)}' must be an http(s) URL (like https://example.org/page), but is {url!r}")
            return INVALID
        return url

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": r"^https?://[^\s/?#]+[^\s]*$", "maxLength": 2000}


_URL_BAD_CHAR = re.compile(r"[\s\x00-\x1f\x7f]")


def is_web_url(url: str, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    """True for an absolute URL with an allowed scheme, a host, and no white space or controls."""
    if len(url) > 2000 or _URL_BAD_CHAR.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in schemes and bool(parts.hostname) and url.lower().startswith(tuple(f"{s}://" for s in schemes))


class Choice(FieldType):
    """One of a fixed set of words."""

    def __init__(self, *values: str) -> None:
        self.values = values
        self.label = "one of " + ", ".join(values)

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        if not isinstance(value, str):
            return self.mismatch(value, path, checker)
        close = difflib.get_close_matches(value.lower(), self.values, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        checker.error(path, f"'{dotted(path)}' must be {self.label}, but is {value!r}{hint}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


class ListOf(FieldType):
    """A list of values of one type."""

    def __init__(self, item: FieldType, *, min_items: int = 0, unique: bool = False) -> None:
        self.item, self.min_items, self.unique = item, min_items, unique
        self.label = f"a list of {item.label}"

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, list):
            if isinstance(value, (str, dict)) or value is None:
                hint = " (start each item on its own line with '- ')" if value is not None else ""
                checker.error(path, f"'{dotted(path)}' must be a list, but is {describe_value(value, checker, path)}{hint}")
                return INVALID
            return self.mismatch(value, path, checker)
        if len(value) < self.min_items:
            checker.error(path, f"'{dotted(path)}' needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
            return INVALID
        items = [self.item.convert(item, (*path, i), checker) for i, item in enumerate(value)]
        if self.unique:
            seen: set[Any] = set()
            for i, item in enumerate(items):
                if item is not INVALID and item in seen:
                    checker.error((*path, i), f"'{dotted((*path, i))}' repeats {item!r}; list it once")
                seen.add(item)
        if any(item is INVALID for item in items):
            return INVALID
        return items

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass(frozen=True)
class Field:
    """One field of an entry or of a nested record."""

    name: str
    type: FieldType
    doc: str
    required: bool = False
    example: Any = None
    fact: str | None = None  # its label in the facts box: a fact, which a source must say it ``supports``


class Record(FieldType):
    """A mapping with declared fields, built into ``factory``."""

    def __init__(
        self,
        label: str,
        fields: tuple[Field, ...],
        factory: Callable[..., Any],
        *,
        one_of: tuple[str, ...] = (),
    ) -> None:
        self.label, self.fields, self.factory, self.one_of = label, fields, factory, one_of
        self.by_name = {f.name: f for f in fields}

    def convert(self, value: Any, path: KeyPath, checker: Checker) -> Any:
        if not isinstance(value, dict):
            names = ", ".join(f.name for f in self.fields)
            checker.error(path, f"'{dotted(path)}' must be a mapping with the fields {names}, but is {describe_value(value, checker, path)}")
            return INVALID
        values = check_fields(self, value, path, checker)
        if values is INVALID:
            return INVALID
        return self.factory(**{name: v for name, v in values.items() if v is not None})

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: {**f.type.json_schema(), "description": f.doc} for f in self.fields},
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.one_of]
        return schema


def check_fields(record: Record, value: dict[str, Any], path: KeyPath, checker: Checker) -> Any:
    """Check a mapping against a record's fields; return field name → clean value, or INVALID."""
    ok = True
    misspelt: set[str] = set()
    for key in value:
        if key not in record.by_name:
            message, meant = unknown_field_message(key, record, path)
            checker.error((*path, key), message, at_key=True)
            misspelt.update([meant] if meant else [])
            ok = False
    for f in record.fields:
        if f.required and f.name not in value and f.name not in misspelt:
            checker.error(path, f"missing required field '{dotted((*path, f.name))}' ({f.doc.rstrip('.')})", field=dotted((*path, f.name)))
            ok = False
    if record.one_of:
        given = [name for name in record.one_of if name in value]
        first, *others = record.one_of
        if not given:
            alternatives = " or ".join(f"'{name}'" for name in others)
            doc = record.by_name[first].doc.rstrip(".")
            checker.error(path, f"missing required field '{dotted((*path, first))}' ({doc}; or {alternatives})", field=dotted((*path, first)))
            ok = False
        elif len(given) > 1:
            checker.error(path, f"'{dotted(path)}' gives {' and '.join(repr(n) for n in given)}; give only one")
            ok = False
    clean: dict[str, Any] = {f.name: None for f in record.fields}
    for f in record.fields:
        if f.name in value:
            given = value[f.name]
            if isinstance(given, str) and given.strip().startswith(PLACEHOLDER):
                where = dotted((*path, f.name))
                checker.error((*path, f.name), f"'{where}' still holds the placeholder {given.strip()!r}; replace it ({f.doc.rstrip('.')})")
                ok = False
                continue
            converted = f.type.convert(given, (*path, f.name), checker)
            if converted is INVALID:
                ok = False
            clean[f.name] = converted
    return clean if ok else INVALID


def unknown_field_message(key: str, record: Record, path: KeyPath) -> tuple[str, str | None]:
    """``unknown field 'sumary'; did you mean 'summary'?`` (and the field meant), or the allowed fields."""
    names = list(record.by_name)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    where = f" in '{dotted(path)}'" if path else ""
    if close:
        return f"unknown field '{key}'{where}; did you mean '{close[0]}'?", close[0]
    return f"unknown field '{key}'{where}; {record.label} has: {', '.join(names)}", None
