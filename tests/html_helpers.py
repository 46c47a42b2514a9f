"""Small HTML readers for the tests (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]


@dataclass
class Table:
    """A table's rows (thead, tbody and tfoot alike), each a list of cell texts; and its class."""

    cls: str
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Level:
    """An ``atlas-level`` marker: its level (from the class) and the text a reader sees or hears."""

    level: str
    visible: str
    spoken: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.text: list[str] = []
        self.tables: list[Table] = []
        self._tables: list[Table] = []
        self._cell: list[str] | None = None
        self.levels: list[Level] = []
        self._levels: list[tuple[Level, int]] = []
        self._depth = 0
        self._hidden_at: int | None = None
        self._sr_at: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        self.tags.append(Tag(tag, values))
        if tag == "br" and self._cell is not None:
            self._cell.append("\n")
        if tag in VOID:
            return
        self._depth += 1
        classes = values.get("class", "").split()
        if tag == "table":
            table = Table(values.get("class", ""))
            self.tables.append(table)
            self._tables.append(table)
        elif tag == "tr" and self._tables:
            self._tables[-1].rows.append([])
        elif tag in ("td", "th") and self._tables:
            self._cell = []
        if tag == "span" and "atlas-level" in classes:
            level = next((c.removeprefix("atlas-level--") for c in classes if c.startswith("atlas-level--")), "")
            self._levels.append((Level(level, "", ""), self._depth))
        if values.get("aria-hidden") == "true" and self._hidden_at is None:
            self._hidden_at = self._depth
        if "atlas-sr" in classes and self._sr_at is None:
            self._sr_at = self._depth

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag in ("td", "th") and self._tables and self._cell is not None:
            if self._tables[-1].rows:
                self._tables[-1].rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._tables:
            self._tables.pop()
        if self._levels and self._levels[-1][1] == self._depth:
            self.levels.append(self._levels.pop()[0])
        if self._hidden_at == self._depth:
            self._hidden_at = None
        if self._sr_at == self._depth:
            self._sr_at = None
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        for level, _ in self._levels:
            if self._hidden_at is None:
                level.spoken += data
                if self._sr_at is None:
                    level.visible += data


@dataclass
class Parsed:
    tags: list[Tag]
    text: str
    tables: list[Table]
    levels: list[Level]

    @property
    def ids(self) -> set[str]:
        return {t.attrs["id"] for t in self.tags if "id" in t.attrs} | {
            t.attrs["name"] for t in self.tags if t.name == "a" and "name" in t.attrs
        }


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Parsed(reader.tags, "".join(reader.text), reader.tables, reader.levels)


def article(page_html: str) -> str:
    """The content of a Material page: what lies inside <article ...>...</article>."""
    start = page_html.index("<article")
    return page_html[start : page_html.index("</article>", start)]


NAMED_ONLY_INPUT = {"type": "checkbox", "class": "atlas-named-only"}


def graph_svg(tag: Tag) -> bool:
    """The generator's own drawings (generator/render/graph_svg.py): a relations graph, or an icon of its key."""
    attrs = tag.attrs
    if attrs.get("class") == "atlas-graph__svg":
        return attrs.get("xmlns") == "http://www.w3.org/2000/svg" and attrs.get("role") == "group"
    return attrs == {"width": "28", "height": "16", "aria-hidden": "true"}


def dangerous_markup(html: str) -> list[str]:
    """Every tag or attribute in ``html`` that could run script or load something."""
    found = []
    for tag in parse(html).tags:
        if tag.name == "input" and tag.attrs == NAMED_ONLY_INPUT:
            continue  # the generator's own "Show named claims only" switch: a checkbox, no form, no script
        if tag.name == "svg" and graph_svg(tag):
            pass  # drawn by the generator; its attributes are checked below like any other's
        elif tag.name in ("script", "img", "iframe", "object", "embed", "style", "svg", "math", "form", "input", "base", "meta", "link"):
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"<{tag.name} {name}>")
            if name in ("href", "src", "action", "xlink:href") and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"<{tag.name} {name}={value}>")
    return found


def counted(named: int, category: int = 0) -> str:
    """The text of a cell counting claims, as :func:`parse` reads it: ``2 named · 1 by category``, then
    ``2 named`` (the same count with "Show named claims only" switched on; CSS shows one of the two)."""
    return f"{named} named · {category} by category{named} named" if category else f"{named} named"
