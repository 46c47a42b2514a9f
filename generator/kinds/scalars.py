"""The field types of single values: text, Markdown, ids, numbers, dates, web addresses and choices.

Each turns a raw YAML value into a clean Python value or reports why it cannot
(:class:`generator.kinds.checking.Checker`), and gives its JSON Schema and a
label for the documentation.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any
from urllib.parse import urlsplit

from generator.kinds.checking import INVALID, Checker, Reference, describe_value, yaml_hint
from generator.load.entry import InvalidDate, KeyPath, dotted

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 64
_SLUG_RE = re.compile(SLUG_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOSE_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Control and invisible format characters (other than tab and line feed): bidi marks and overrides,
# zero-width spaces and joiners of words, invisible operators, interlinear annotations and tag characters.
# (U+200C and U+200D, the zero-width (non-)joiners, stay allowed: Persian, Indic scripts and emoji need them.)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


class FieldType:
    """Base of all field types."""

    label = "value"
    description = ""
    hint = ""  # what a skeleton of ``new`` asks for, after TODO: (a field's own hint comes first)

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


def Year() -> Integer:  # noqa: N802 (it reads as a type in the declaration)
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
    hint = "https://…"

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
