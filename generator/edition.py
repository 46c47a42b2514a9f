"""The edition's date: the one place that reads SOURCE_DATE_EPOCH.

An edition is dated by SOURCE_DATE_EPOCH when it is set (reproducible builds), else by
its entries (:func:`generator.render.edition_date`). No date in an entry may be later
than :func:`edition_ceiling`: the day SOURCE_DATE_EPOCH names, or today (UTC), so that
one entry dated in the future cannot move the edition date of the whole atlas.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

VARIABLE = "SOURCE_DATE_EPOCH"
# Set beside SOURCE_DATE_EPOCH when the build itself set it (for MkDocs's sitemap and the
# offline copy), from the entries: such a value dates the output, but is no ceiling.
IMPLIED_VARIABLE = "ATLAS_IMPLIED_SOURCE_DATE_EPOCH"


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH in seconds, when set to a whole number (and not implied by the build)."""
    text = os.environ.get(VARIABLE, "").strip()
    if not text.isdigit() or os.environ.get(IMPLIED_VARIABLE) == text:
        return None
    return int(text)


def epoch_date(epoch: int) -> dt.date:
    """The UTC day of a number of seconds since 1970."""
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date()


def imply_source_date_epoch(epoch: int) -> None:
    """Set SOURCE_DATE_EPOCH for tools that read it, unless the user did; marked as implied."""
    if source_date_epoch() is None:
        os.environ[VARIABLE] = os.environ[IMPLIED_VARIABLE] = str(epoch)


@dataclass(frozen=True)
class Ceiling:
    """The latest date an entry may give, and where it comes from (for messages)."""

    date: dt.date
    origin: str  # "today, UTC" or "SOURCE_DATE_EPOCH"


def edition_ceiling() -> Ceiling:
    """The day SOURCE_DATE_EPOCH names, or today (UTC) when it is not set."""
    epoch = source_date_epoch()
    if epoch is not None:
        return Ceiling(epoch_date(epoch), VARIABLE)
    return Ceiling(dt.datetime.now(dt.timezone.utc).date(), "today, UTC")
