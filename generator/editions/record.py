"""Record an edition: the current atlas, or the entries of a past revision of the repository.

An edition is never overwritten, and editions are recorded in date order, so that
what was published under a date stays what it was.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from generator.editions.schema_versions import SCHEMA_VERSION, version_at
from generator.editions.snapshot import Snapshot, edition_bytes, edition_paths, entry_data, snapshot, typed_data
from generator.errors import EditionInvalid, EditionRefused
from generator.kinds.declaration import KIND_BY_FOLDER
from generator.link.atlas import Atlas
from generator.load.reader import ENTRY_SUFFIX, load_entry
from generator.output import write_file_atomically
from generator.problems import format_problems


def atlas_snapshot(atlas: Atlas, date: dt.date | None = None) -> Snapshot:
    """The atlas as an edition of today's schema, dated ``date`` (else the atlas's edition date)."""
    return snapshot((entry_data(e) for e in atlas.entries.values()), date or atlas.edition, SCHEMA_VERSION)


def revision_snapshot(repository: Path, revision: str, entries: Path, date: dt.date | None = None) -> Snapshot:
    """The entries of ``entries`` (a folder of ``repository``) at ``revision``, as they were typed.

    They are read with the same safe loader as today's entries, but not checked
    against today's schema, which is not the one they were written for: the edition
    records that one's version (:func:`generator.editions.schema_versions.version_at`).
    Dated ``date``, else by the latest ``last_reviewed`` among them.
    """
    folder = entries.resolve().relative_to(repository.resolve()).as_posix()
    archive = _git(repository, "archive", "--format=tar", revision, "--", folder)
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        data = _read_entries(Path(scratch) / folder, f"{revision}:{folder}")
    if not data:
        raise EditionInvalid(f"no entry files in {folder}/ at {revision}")
    reviewed = [d["last_reviewed"] for d in data if isinstance(d.get("last_reviewed"), str)]
    when = date or (dt.date.fromisoformat(max(reviewed)) if reviewed else None)
    if when is None:
        raise EditionInvalid(f"the entries at {revision} give no last_reviewed date; give the edition's date with --date")
    return snapshot(data, when, version_at(repository, revision))


def repository_of(folder: Path) -> Path:
    """The root of the git repository that holds ``folder``."""
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())


def _git(repository: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repository), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise EditionInvalid("git is not installed; an edition from a past revision needs it") from None
    if done.returncode != 0:
        raise EditionInvalid(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _read_entries(folder: Path, shown: str) -> list[dict[str, Any]]:
    """Every entry file in the kind folders of ``folder``, as data; a file that cannot be read stops it."""
    found: list[dict[str, Any]] = []
    problems = []
    for kind_folder in sorted(KIND_BY_FOLDER):
        for path in sorted((folder / kind_folder).glob(f"*{ENTRY_SUFFIX}")):
            raw, trouble = load_entry(path, f"{shown}/{kind_folder}/{path.name}", kind_folder)
            problems += trouble
            if raw is not None:
                if not isinstance(raw.data.get("id"), str) or raw.data.get("kind") != KIND_BY_FOLDER[kind_folder].name:
                    raise EditionInvalid(f"{shown}/{kind_folder}/{path.name}: an entry needs an 'id' and the 'kind' of its folder")
                found.append(typed_data(raw.data))
    if problems:
        raise EditionInvalid("the entries cannot be read:\n" + format_problems(problems, "text"))
    return found


def write_edition(edition: Snapshot, folder: Path) -> Path:
    """Write ``edition`` into ``folder``; refuse when its file exists or a later edition does."""
    target = folder / f"{edition.name}.json"
    if target.exists():
        raise EditionRefused(f"{target} exists; an edition is never overwritten (record the next one under a later date)")
    later = [p for p in edition_paths(folder) if p.stem > edition.name]
    if later:
        raise EditionRefused(f"{later[-1]} is later than {edition.name}; editions are recorded in date order")
    write_file_atomically(target, edition_bytes(edition))
    return target
