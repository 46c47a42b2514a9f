"""Validate entry files: each against its kind's declaration, then all of them together.

Files are checked on their own in worker processes too when there are many
(:mod:`generator.workers`): from :data:`WORKERS_FROM` files not checked before, or from
the number in the environment variable ``ATLAS_CHECK_WORKERS_FROM`` (0: always, as the
tests do; a large number: never). The results are the same either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator import settings
from generator.edition import Ceiling, edition_ceiling
from generator.kinds.declaration import KIND_BY_FOLDER, KINDS, RESERVED_IDS
from generator.kinds.fields import INVALID, Checker, Date, FieldType, Integer, ListOf, Record, Reference, Year, article, check_fields
from generator.kinds.model import Entry
from generator.load.entry import KeyPath, Positions, RawEntry, dotted
from generator.load.reader import ENTRY_SUFFIX, load_entry
from generator.problems import Problem
from generator.validate.evidence import check_evidence, check_quotes, check_shared_claims, quoted_paths
from generator.validate.quotes import Document
from generator.workers import Minimum, map_in_processes


@dataclass(frozen=True)
class ReviewPolicy:
    """When ``check`` warns: entries reviewed more than ``max_age_days`` before ``today``, sources never dated."""

    today: dt.date
    max_age_days: int = 365


@dataclass
class Validated:
    """Every valid entry, and every problem found in any file."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def display_path(path: Path) -> str:
    """The path as printed in problems: relative to the working directory."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass(frozen=True)
class _FileResult:
    """What checking one file on its own gave: kept while the file is unchanged."""

    entry: Entry | None
    problems: tuple[Problem, ...]
    positions: Positions | None
    references: tuple[Reference, ...]


_Key = tuple[str, int, int, str, ReviewPolicy | None, Ceiling]

# Per file (path, modification time, size, cwd, policy, latest date allowed): its result. `mkdocs serve` rebuilds
# re-check only the files that changed; everything across files is checked every time.
_checked: dict[_Key, _FileResult] = {}

# The fewest files to check worth worker processes. Measured on 2 CPUs (a file takes about
# 0.8 ms; medians of 5 runs of check_entries): forked, 200 files took 0.19 s instead of 0.22,
# 400 0.32 instead of 0.47; spawned (beside other threads, as in `mkdocs serve` rebuilds;
# ready after about 0.4 s), 1,000 files took 0.89 s instead of 0.85, 2,000 1.48 instead of 1.78.
WORKERS_FROM = Minimum(forked=200, spawned=2000)


def validate_folder(
    entries_dir: Path,
    documents: Mapping[str, Document] | None = None,
    review: ReviewPolicy | None = None,
    ceiling: Ceiling | None = None,
) -> Validated:
    """Load and validate every entry file under ``entries_dir``.

    ``documents`` holds the documents that sources may cite (pages of the site's
    content folder), by name, to find quotes in; None skips those checks. ``review``
    adds freshness warnings. No date may be later than ``ceiling`` (default: the edition's, read once here).
    """
    global _checked
    ceiling = ceiling or edition_ceiling()
    result = Validated()
    checkers: list[tuple[Checker, Entry]] = []
    known: dict[str, str] = {}
    files = _entry_files(entries_dir, result.problems)
    cwd = os.getcwd()
    keys = [_cache_key(path, cwd, review, ceiling) for path, _ in files]
    results = _check_files(files, keys, review, ceiling)
    for (path, folder), checked in zip(files, results, strict=True):
        result.problems.extend(checked.problems)
        if checked.entry is not None and checked.positions is not None:
            checkers.append((Checker(checked.positions, [], list(checked.references)), checked.entry))  # type: ignore[arg-type]
        else:  # still known, so that entries naming it are not blamed for its mistakes
            known.setdefault(path.name.removesuffix(ENTRY_SUFFIX), KIND_BY_FOLDER[folder].name)
    _checked = {key: checked for key, checked in zip(keys, results, strict=True) if key is not None}
    result.problems.extend(_check_across(checkers, documents, known))
    result.entries = [entry for _, entry in checkers]
    result.problems.sort()
    return result


def _cache_key(path: Path, cwd: str, review: ReviewPolicy | None, ceiling: Ceiling) -> _Key | None:
    try:
        stat = path.lstat()
    except OSError:
        return None
    return (str(path), stat.st_mtime_ns, stat.st_size, cwd, review, ceiling)


def _check_files(files: list[tuple[Path, str]], keys: list[_Key | None], review: ReviewPolicy | None, ceiling: Ceiling | None = None) -> list[_FileResult]:
    """Each file's result, in order: kept from an earlier run, or checked now (in worker processes when many)."""
    kept = [_checked.get(key) if key else None for key in keys]
    todo = [file for file, checked in zip(files, kept, strict=True) if checked is None]
    minimum = WORKERS_FROM.unless(settings.current().check_workers_from)
    fresh = iter(map_in_processes(partial(_check_listed, review=review, ceiling=ceiling), todo, minimum=minimum, doing="checking entry files"))
    return [checked if checked is not None else next(fresh) for checked in kept]


def _check_listed(file: tuple[Path, str], review: ReviewPolicy | None, ceiling: Ceiling | None = None) -> _FileResult:
    return _check_file(*file, review, ceiling)


def _check_file(path: Path, folder: str, review: ReviewPolicy | None, ceiling: Ceiling | None = None) -> _FileResult:
    raw, problems = load_entry(path, display_path(path), folder)
    if raw is None:
        return _FileResult(None, tuple(problems), None, ())
    entry, checker = validate_entry(raw, review, ceiling)
    if entry is None:
        return _FileResult(None, tuple(checker.problems), None, ())
    # Only what the checks across entries may point at is kept: ids, aliases and references.
    paths = [("id",), *(("aliases", i) for i in range(len(entry.aliases))), *(ref.path for ref in checker.references), *quoted_paths(entry)]
    return _FileResult(entry, tuple(checker.problems), Positions.keep(raw, paths), tuple(checker.references))


def _entry_files(entries_dir: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    """Entry files as (path, kind folder), sorted; misplaced files become problems."""
    found: list[tuple[Path, str]] = []
    for top, dirs, files in os.walk(entries_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(top)
        depth = len(here.relative_to(entries_dir).parts)
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or not name.endswith((ENTRY_SUFFIX, ".yml")):
                continue
            problem = _misplaced(path, entries_dir, depth)
            if problem:
                problems.append(Problem(display_path(path), 1, 1, problem))
            else:
                found.append((path, here.name))
        for name in dirs:
            if (here / name).is_symlink():
                problems.append(Problem(display_path(here / name), 1, 1, "folders in entries/ may not be symbolic links"))
    return found


def _misplaced(path: Path, entries_dir: Path, depth: int) -> str | None:
    folder = path.parent.name
    if path.suffix == ".yml":
        return f"entry files end in .yaml; rename it to {path.stem}.yaml"
    if depth == 0:
        return f"entry files belong in a kind folder: {', '.join(k.folder + '/' for k in KINDS.values())}"
    if depth > 1:
        return f"entry files sit directly in a kind folder; move it to {path.parts[len(entries_dir.parts)]}/"
    if folder not in KIND_BY_FOLDER:
        close = difflib.get_close_matches(folder, list(KIND_BY_FOLDER), n=1)
        hint = f"; did you mean '{close[0]}/'?" if close else f"; use one of {', '.join(k + '/' for k in KIND_BY_FOLDER)}"
        return f"'{folder}/' is not a kind folder{hint}"
    return None


def validate_entry(raw: RawEntry, review: ReviewPolicy | None = None, ceiling: Ceiling | None = None) -> tuple[Entry | None, Checker]:
    """Check one entry against the declaration of the kind its folder holds (and its dates against ``ceiling``)."""
    kind = KIND_BY_FOLDER[raw.folder]
    checker = Checker(raw)
    values = check_fields(kind.record, raw.data, (), checker)
    data = raw.data
    if isinstance(data.get("kind"), str) and data["kind"] in KINDS and data["kind"] != kind.name:
        checker.error(
            ("kind",),
            f"'kind' is '{data['kind']}' but the file is in '{raw.folder}/'; move it to '{KINDS[data['kind']].folder}/' or set kind: {kind.name}",
        )
        values = INVALID
    stem = raw.path.name.removesuffix(ENTRY_SUFFIX)
    if isinstance(data.get("id"), str) and data["id"] != stem:
        checker.error(("id",), f"'id' is '{data['id']}' but the file is named '{raw.path.name}'; the id must equal the file name")
        values = INVALID
    if values is INVALID:
        return None, checker
    entry: Entry = kind.record.factory(**{k: v for k, v in values.items() if v is not None})
    entry.path = raw.display_path
    _check_within(entry, checker)
    if ceiling is not None:
        _check_dates(entry, kind.record, ceiling, checker)
    if review is not None:
        _check_review(entry, review, checker)
    valid = not any(p.severity == "error" for p in checker.problems)
    return (entry if valid else None), checker


def _check_review(entry: Entry, review: ReviewPolicy, checker: Checker) -> None:
    """Warnings: an entry not reviewed for too long; web sources with no accessed date."""
    age = (review.today - entry.last_reviewed).days
    if age > review.max_age_days:
        checker.warn(
            ("last_reviewed",), f"'last_reviewed' is {age} days old (more than {review.max_age_days}); check the entry against its sources and update the date"
        )
    for i, source in enumerate(entry.sources):
        if source.url and source.accessed is None:
            checker.warn(("sources", i), f"'sources[{i}]' has no 'accessed' date; add the date you last read {source.url}")


_YEAR_LABEL = Year().label


def _check_dates(entry: Entry, record: Record, ceiling: Ceiling, checker: Checker) -> None:
    """Errors: a date (or year, or year and month) that begins after the edition date.

    Every field declared as a date or a year is walked, so that a date field added later is checked too.
    """
    for path, first_day, shown in _dates_in(record, entry, ()):
        if first_day > ceiling.date:
            checker.error(
                path,
                f"'{dotted(path)}' is {shown}, later than the edition date {ceiling.date.isoformat()} ({ceiling.origin});"
                " an entry's dates cannot be in the future",
            )


def _dates_in(record: Record, value: object, path: KeyPath) -> Iterator[tuple[KeyPath, dt.date, str]]:
    for f in record.fields:
        given = getattr(value, f.name, None)
        if given is not None:
            yield from _dates_of(f.type, given, (*path, f.name))


def _dates_of(kind: FieldType, value: object, path: KeyPath) -> Iterator[tuple[KeyPath, dt.date, str]]:
    """(path, first day, as written) of each date in a checked value: dates, YYYY-MM and YYYY texts, years."""
    if isinstance(kind, ListOf) and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _dates_of(kind.item, item, (*path, i))
    elif isinstance(kind, Record):
        yield from _dates_in(kind, value, path)
    elif isinstance(kind, Date) and isinstance(value, dt.date):
        yield path, value, value.isoformat()
    elif isinstance(kind, Date) and isinstance(value, str):  # a LooseDate: 2027, 2027-01 or 2027-01-05
        with contextlib.suppress(ValueError):
            yield path, dt.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value), value
    elif isinstance(kind, Integer) and kind.label == _YEAR_LABEL and isinstance(value, int):
        yield path, dt.date(value, 1, 1), str(value)


def _check_within(entry: Entry, checker: Checker) -> None:
    """Rules between the fields of one entry: ids free to use; claims, cases, sources and facts (:mod:`generator.validate.evidence`)."""
    for path, value in [(("id",), entry.id), *((("aliases", i), a) for i, a in enumerate(entry.aliases))]:
        if value in RESERVED_IDS:
            kept_for = RESERVED_IDS[value].format(kind=entry.kind)
            checker.error(path, f"'{dotted(path)}' may not be '{value}': that name is kept for {kept_for}; choose another id")
    check_evidence(entry, checker)


def _check_document(ref: Reference, documents: Mapping[str, Document] | None, checker: Checker) -> None:
    if documents is None or ref.target in documents:
        return
    known = ", ".join(sorted(documents)) or "none"
    checker.error(ref.path, f"'{dotted(ref.path)}' names the document '{ref.target}', but the site has no page {ref.target}.md (documents: {known})")


def _check_across(checked: list[tuple[Checker, Entry]], documents: Mapping[str, Document] | None, invalid: dict[str, str]) -> list[Problem]:
    """Problems that need every entry: duplicate ids and references to missing or wrong-kind entries.

    ``invalid`` holds the ids (file names) and kinds of entries that failed on their own;
    a reference to one of them is not blamed on the entry that makes it.
    """
    problems: list[Problem] = []
    by_id: dict[str, Entry] = {}
    for checker, entry in checked:
        if entry.id in by_id:
            checker.error(("id",), f"id '{entry.id}' is already used by {by_id[entry.id].path}; ids are unique across all kinds")
        else:
            by_id[entry.id] = entry
    renamed: dict[str, Entry] = {}
    for checker, entry in checked:
        for i, alias in enumerate(entry.aliases):
            owner = by_id.get(alias) or renamed.get(alias)
            if owner is not None:
                checker.error(("aliases", i), f"'aliases[{i}]' is '{alias}', which {owner.path} already uses as its id or alias")
            else:
                renamed[alias] = entry
    check_shared_claims(checked, by_id)
    for checker, entry in checked:
        if documents is not None:
            check_quotes(entry, checker, documents)
        for ref in checker.references:
            if ref.target in renamed and ref.target not in by_id:
                new_id = renamed[ref.target].id
                checker.error(ref.path, f"'{dotted(ref.path)}' names '{ref.target}', the former id of '{new_id}'; write '{new_id}'")
                continue
            if ref.kinds == ("document",):
                _check_document(ref, documents, checker)
            else:
                _check_reference(ref, entry, by_id, invalid, checker)
        problems.extend(checker.problems)
    return problems


def _check_reference(ref: Reference, entry: Entry, by_id: dict[str, Entry], invalid: dict[str, str], checker: Checker) -> None:
    target = by_id.get(ref.target)
    if target is not None and target.kind in ref.kinds and target.id != entry.id:
        return  # most references: checked before any message is worded
    where = dotted(ref.path)
    wanted = "entry" if set(ref.kinds) == set(KINDS) else " or ".join(ref.kinds)
    if target is None and invalid.get(ref.target) in ref.kinds:
        return
    if target is None:
        candidates = [e.id for e in by_id.values() if e.kind in ref.kinds]
        close = difflib.get_close_matches(ref.target, candidates, n=1)
        add = f"entries/{ref.kinds[0]}s/{ref.target}.yaml" if len(ref.kinds) == 1 else "an entry with that id"
        hint = f"; did you mean '{close[0]}'?" if close else f"; check the spelling, or add {add}"
        checker.error(ref.path, f"'{where}' names '{ref.target}', but there is no {wanted} with that id{hint}")
    elif target.kind not in ref.kinds:
        checker.error(ref.path, f"'{where}' must name {article(wanted)}, but '{ref.target}' is {article(target.kind)}")
    elif target.id == entry.id:
        checker.error(ref.path, f"'{where}' names the entry itself")
