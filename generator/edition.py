"""The edition: its date, the latest date an entry may give, and its version.

An edition is dated by SOURCE_DATE_EPOCH when it is set (reproducible builds), else by
its latest ``last_reviewed`` (:func:`edition_date`). No date in an entry may be later
than :func:`edition_ceiling`: the day SOURCE_DATE_EPOCH names, or today (UTC), so that
one entry dated in the future cannot move the edition date of the whole atlas. Both
are read from :mod:`generator.settings`; nothing here writes the environment.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import settings

VARIABLE = "SOURCE_DATE_EPOCH"
NO_DATE = dt.date(1970, 1, 1)  # the date of an edition without entries


def epoch_date(epoch: int) -> dt.date:
    """The UTC day of a number of seconds since 1970."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def day_epoch(day: dt.date) -> int:
    """Midnight (UTC) of ``day``, in seconds since 1970."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def edition_date(reviewed: Iterable[dt.date], source_date_epoch: int | None) -> dt.date:
    """The day ``source_date_epoch`` names when it is given, else the latest of ``reviewed``."""
    if source_date_epoch is not None:
        return epoch_date(source_date_epoch)
    return max(reviewed, default=NO_DATE)


@dataclass(frozen=True)
class Ceiling:
    """The latest date an entry may give, and where it comes from (for messages)."""

    date: dt.date
    origin: str  # "today, UTC" or "SOURCE_DATE_EPOCH"


def edition_ceiling() -> Ceiling:
    """The day SOURCE_DATE_EPOCH names, or today (UTC) when it is not set."""
    epoch = settings.current().source_date_epoch
    if epoch is not None:
        return Ceiling(epoch_date(epoch), VARIABLE)
    return Ceiling(dt.datetime.now(dt.UTC).date(), "today, UTC")


def atlas_version(root: Path) -> str:
    """ATLAS_VERSION when set, else the repository's short commit, else ``unversioned``."""
    version = settings.current().version
    if version:
        return version
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unversioned"
    commit = done.stdout.strip()
    return f"commit {commit}" if done.returncode == 0 and commit else "unversioned"
