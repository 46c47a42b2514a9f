"""Every setting read from the environment, read once into a typed object.

This is the only module that reads ``os.environ``, and nothing writes it. The
settings of the site (the entries folder, the downloads, page limits) are options
of the MkDocs plugin in mkdocs.yml (:mod:`generator.site.options`); the variables
here override some of them for one run, or tune the work for a machine.
README.md lists them all in one table, which a test checks against :data:`VARIABLES`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.errors import SettingsInvalid


@dataclass(frozen=True)
class Variable:
    """An environment variable the generator reads, and what it does (for the README's table)."""

    name: str
    value: str  # what it takes, in words
    does: str


VARIABLES = (
    Variable("ATLAS_ENTRIES", "a folder", "the entries folder, instead of the plugin's `entries` option (or `./entries` for `python -m generator`)"),
    Variable(
        "ATLAS_DOWNLOADS",
        "`0` or `1`",
        "`0` skips the PDF, the open data and the offline copy in `mkdocs build` (a faster build); "
        "`1` makes them even when the plugin's `downloads` option is false",
    ),
    Variable(
        "SOURCE_DATE_EPOCH",
        "seconds since 1970",
        "dates the edition (freshness, sitemap, PDF metadata) and is the latest date an entry may give; "
        "otherwise the edition is dated by its latest `last_reviewed`, and no entry may give a date after today (UTC)",
    ),
    Variable(
        "ATLAS_UNRELEASED",
        "`0` or `1`",
        "`1` shows the changes since the latest edition as unreleased on the What's new page, as `mkdocs serve` does "
        "(pull-request builds set it); `0` hides them in `mkdocs serve` too",
    ),
    Variable("ATLAS_VERSION", "text", "the version printed on the PDF's cover and in its metadata (otherwise the repository's short commit, or `unversioned`)"),
    Variable(
        "ATLAS_CHECK_WORKERS_FROM",
        "a whole number",
        "check the entries in worker processes from this many files (default 200 forked, 2,000 spawned); `0` always, a very large number never",
    ),
    Variable("ATLAS_FORK_FROM", "a whole number", "render entry pages in forked worker processes from this many entries (default 400)"),
    Variable(
        "ATLAS_PDF_PART_SIZE",
        "a whole number",
        "the largest part of the PDF laid out at once, in characters of HTML (default 400,000); smaller parts mean more worker processes",
    ),
)


@dataclass(frozen=True)
class Settings:
    """What the environment says; None where it says nothing."""

    entries: Path | None = None
    downloads: bool | None = None
    source_date_epoch: int | None = None
    version: str | None = None
    unreleased: bool | None = None
    check_workers_from: int | None = None
    fork_from: int | None = None
    pdf_part_size: int | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """Read and check every variable of :data:`VARIABLES`; a wrong value is a :class:`SettingsInvalid`."""
        entries = environ.get("ATLAS_ENTRIES", "").strip()
        return cls(
            entries=Path(entries) if entries else None,
            downloads=_switch(environ, "ATLAS_DOWNLOADS"),
            source_date_epoch=_whole(environ, "SOURCE_DATE_EPOCH"),
            version=environ.get("ATLAS_VERSION", "").strip() or None,
            unreleased=_switch(environ, "ATLAS_UNRELEASED"),
            check_workers_from=_whole(environ, "ATLAS_CHECK_WORKERS_FROM"),
            fork_from=_whole(environ, "ATLAS_FORK_FROM"),
            pdf_part_size=_whole(environ, "ATLAS_PDF_PART_SIZE", least=1),
        )


def _whole(environ: Mapping[str, str], name: str, least: int = 0) -> int | None:
    text = environ.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < least:
        raise SettingsInvalid(f"{name}={text!r} is not a whole number{f' of {least} or more' if least else ''}")
    return int(text)


def _switch(environ: Mapping[str, str], name: str) -> bool | None:
    text = environ.get(name, "").strip().lower()
    if not text:
        return None
    if text in ("0", "1"):
        return text == "1"
    raise SettingsInvalid(f"{name}={text!r} is neither 0 nor 1")


@cache
def current() -> Settings:
    """The settings of this process, read from its environment the first time they are asked for."""
    return Settings.from_environment(os.environ)
