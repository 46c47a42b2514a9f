"""Where a page's file sits in the pages output, so that every engine resolves its links alike.

MkDocs leaves links in raw HTML as written, so the browser resolves them from the page's
URL (``forums/esa.md`` is served at ``forums/esa/``); Zensical resolves them from the source
file's folder (``forums/``) and rewrites them for the URL. Written as ``forums/esa/index.md``,
a page's folder is its URL's folder, both resolutions agree, and the links the core makes
for the URL (:mod:`generator.render.urls`) are right in both. Markdown links, which both
engines resolve from the source file, are rewritten to reach the same files from the new place.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping

from generator.render.urls import page_url

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_INLINE = re.compile(r"(\]\(\s*<?)([^\s)>]+)")  # [text](target …) and ![alt](target …)
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*<?)([^\s>]+)")  # [label]: target
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def page_file(path: str, directory_urls: bool = True) -> str:
    """The file of the page at docs ``path`` whose folder is its URL's: ``forums/esa.md`` → ``forums/esa/index.md``."""
    url = page_url(path, directory_urls)
    return f"{url}index.md" if url.endswith("/") or not url else path


def moved_links(markdown: str, old: str, new: str, moved: Mapping[str, str]) -> str:
    """The Markdown of the page at docs ``old``, written at ``new``: each relative link reaches the same file,
    at its new place when ``moved`` (old docs path → new) moves it. Code is left as written."""
    if old == new and not moved:
        return markdown
    here, there = posixpath.dirname(old), posixpath.dirname(new)

    def target(match: re.Match[str]) -> str:
        link = match.group(2)
        cut = min((i for i in (link.find("#"), link.find("?")) if i >= 0), default=len(link))
        path, suffix = link[:cut], link[cut:]
        if not path or path.startswith("/") or _SCHEME.match(link):
            return match.group(0)  # this page, the server's root, another site
        resolved = posixpath.normpath(posixpath.join(here, path))
        if resolved == ".." or resolved.startswith("../"):
            return match.group(0)  # outside the docs folder: no engine finds it either way
        rewritten = posixpath.relpath(moved.get(resolved, resolved), there or ".") + ("/" if path.endswith("/") else "")
        return f"{match.group(1)}{rewritten}{suffix}"

    lines, fence = [], None
    for line in markdown.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            fence = None if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) else fence
        elif opening:
            fence = opening.group(1)
        else:
            line = _outside_code(line, lambda text: _INLINE.sub(target, _REFERENCE.sub(target, text)))
        lines.append(line)
    return "\n".join(lines)


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """``line`` with ``change`` applied to the parts outside code spans."""
    parts, at = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts += [change(line[at:span.start()]), span.group(0)]
        at = span.end()
    return "".join([*parts, change(line[at:])])
