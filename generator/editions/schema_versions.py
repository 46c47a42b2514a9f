"""The versions of the entry schema that editions record, and how to tell a revision's.

A version is raised whenever the fields an entry may have change in a way that a
reader of an edition should know about. Each names the commit that brought it in,
so that an edition recorded from an older revision of the repository says the
version its entries were written for (:func:`version_at`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SchemaVersion:
    number: int
    change: str  # what this version changed, in words
    since: str | None  # the commit that brought it in (None: the first version)


SCHEMA_VERSIONS = (
    SchemaVersion(1, "forums, gaps, initiatives and pathways; claims with a level and evidence", None),
    SchemaVersion(2, "claims carry a basis (named or category) and a checked quote; cases of a gap; per-fact sources", "5aea687"),
    SchemaVersion(3, "the topic kind, and topics tags on forums and initiatives", "419ba2e"),
)
SCHEMA_VERSION = SCHEMA_VERSIONS[-1].number


def version_at(repository: Path, revision: str) -> int:
    """The schema version of the entries at ``revision``: the latest whose commit is an ancestor of it."""
    found = SCHEMA_VERSIONS[0].number
    for version in SCHEMA_VERSIONS[1:]:
        assert version.since is not None
        ancestor = subprocess.run(
            ["git", "-C", str(repository), "merge-base", "--is-ancestor", version.since, revision], capture_output=True, check=False
        )
        if ancestor.returncode == 0:
            found = version.number
    return found
