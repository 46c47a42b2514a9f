"""The command line: ``python -m generator check | new | export | pdf | pages | schema | edition``.

Exit codes (:mod:`generator.errors`): 0 success, 1 invalid entries (or a refused
``new``, ``edition`` or ``pages``), 2 usage error, 3 internal failure (a worker process that died, a PDF that
could not be made).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from generator import settings
from generator.edition import atlas_version, edition_ceiling
from generator.editions.history import editions_folder, read_history
from generator.editions.record import atlas_snapshot, repository_of, revision_snapshot, write_edition
from generator.errors import EXIT_INVALID, EXIT_OK, AtlasError, AtlasInvalid, EntriesFolderMissing, PdfUnavailable, UsageError
from generator.exports import write_exports
from generator.kinds.declaration import KINDS
from generator.kinds.fields import SLUG_MAX, SLUG_PATTERN
from generator.kinds.forms import issue_form_text
from generator.kinds.scaffold import write_skeleton
from generator.kinds.schema import write_schemas
from generator.link.atlas import Atlas, link_atlas
from generator.link.review_queue import due_lines, review_queue
from generator.pdf.available import pdf_unavailable
from generator.pdf.write import write_atlas_pdf
from generator.pipeline import build_atlas, check_entries
from generator.problems import format_problems
from generator.validate.entries import ReviewPolicy


def default_entries() -> Path:
    """The entries folder: the ATLAS_ENTRIES setting, else ./entries."""
    return settings.current().entries or Path("entries")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="The Space Governance Atlas generator.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "check", help="validate the entries and print every problem", description="Validate every entry file and print every problem found."
    )
    check.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    check.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="site pages that sources may cite as documents (default: ./content)"
    )
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems (default: text)")
    check.add_argument("--max-age", type=positive_days, default=365, metavar="DAYS", help="warn about entries last reviewed more than DAYS ago (default: 365)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--due", action="store_true",
        help="then list the entries due for review (last reviewed more than --max-age days before the edition date), oldest first, with what depends on them",
    )
    check.set_defaults(run=run_check)

    new = commands.add_parser(
        "new",
        help="write the skeleton of a new entry",
        description="Write entries/<kind>s/<id>.yaml with every field of the kind, ready to fill in. Never overwrites.",
    )
    new.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    new.add_argument("id", type=entry_id, metavar="ID", help="the new entry's id: lowercase letters, digits and single hyphens")
    new.add_argument("--name", default=None, help="the entry's full name")
    new.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    new.set_defaults(run=run_new)

    export = commands.add_parser(
        "export",
        help="write the open data: atlas.json, CSVs, JSON Schemas",
        description="Write atlas.json (every entry, with backlinks and coverage), one CSV per kind, coverage.csv and the JSON Schemas.",
    )
    export.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    export.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help=argparse.SUPPRESS)
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    export.set_defaults(run=run_export)

    pdf = commands.add_parser(
        "pdf",
        help="write the whole atlas as one PDF",
        description=(
            "Render the atlas to one PDF: cover, contents with page numbers, bookmarks, every entry, "
            "the coverage tables, sources, methodology and the brief."
        ),
    )
    pdf.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    pdf.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="hand-written pages to include: methodology.md and brief.md (default: ./content)"
    )
    pdf.add_argument("--out", type=Path, default=Path("site/atlas.pdf"), metavar="FILE", help="where to write the PDF (default: site/atlas.pdf)")
    pdf.set_defaults(run=run_pdf)

    schema = commands.add_parser(
        "schema", help="write the JSON Schema of each kind", description="Write one JSON Schema per kind, for editors and other tools."
    )
    schema.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write <kind>.schema.json files into")
    schema.add_argument("--issue-form", type=Path, default=None, metavar="FILE", help="also write the GitHub issue form 'Propose an entry' to FILE")
    schema.set_defaults(run=run_schema)

    pages = commands.add_parser(
        "pages",
        help="write the site's pages as files, for engines without plugins (Zensical)",
        description=(
            "Write the whole site's source into DIR: every page (hand-written pages with their placeholders filled, generated pages "
            "with front matter), the assets and generated files in DIR/docs, the theme overrides, and DIR/mkdocs.yml without the atlas "
            "plugin; then `zensical build` or `mkdocs build` in DIR builds the site. DIR is replaced whole, and only when it is new, "
            "empty or an earlier pages output."
        ),
    )
    pages.add_argument(
        "--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or the atlas plugin's entries option)"
    )
    pages.add_argument(
        "-f", "--config-file", type=Path, default=Path("mkdocs.yml"), metavar="FILE", help="the site's configuration (default: ./mkdocs.yml)"
    )
    pages.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write into")
    pages.add_argument("--downloads", action="store_true", help="also write the open data and the PDF into the pages (the PDF takes a while)")
    pages.set_defaults(run=run_pages)

    edition = commands.add_parser(
        "edition",
        help="record the atlas as a dated edition",
        description=(
            "Write editions/<date>.json: every entry, claim and fact of the atlas, with its schema version. "
            "Never overwrites an edition, and records editions in date order."
        ),
    )
    edition.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    edition.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help=argparse.SUPPRESS)
    edition.add_argument("--editions", type=Path, default=None, metavar="DIR", help="editions folder (default: editions/ beside the entries folder)")
    edition.add_argument("--date", type=iso_date, default=None, metavar="YYYY-MM-DD", help="the edition's date (default: the atlas's edition date)")
    edition.add_argument(
        "--git", default=None, metavar="REVISION",
        help="record the entries as they were at this revision of the repository (read as typed, not checked against today's schema)",
    )
    edition.set_defaults(run=run_edition)
    return parser


def iso_date(text: str) -> dt.date:
    """argparse type for --date."""
    import re

    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD")


def entry_id(text: str) -> str:
    """argparse type for ids: the same rule as the id field."""
    import re

    if len(text) > SLUG_MAX or not re.match(SLUG_PATTERN, text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a valid id: use lowercase letters, digits and single hyphens (like 'space-data-association'), at most {SLUG_MAX} characters"
        )
    return text


def run_new(args: argparse.Namespace) -> int:
    entries_dir = args.entries or default_entries()
    path = write_skeleton(entries_dir, args.kind, args.id, args.name)
    shown = os.path.relpath(path)
    print(f"wrote {shown}")
    print(f"next: fill in every TODO and YYYY-MM-DD in {shown}, then run: python -m generator check")
    return EXIT_OK


def load_valid_atlas(args: argparse.Namespace) -> Atlas | None:
    """The linked atlas, or None after printing every problem (as ``check`` would)."""
    try:
        return build_atlas(args.entries or default_entries(), args.content)
    except AtlasInvalid as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        print(f"{exc}; run `python -m generator check` for details", file=sys.stderr)
        return None


def run_export(args: argparse.Namespace) -> int:
    atlas = load_valid_atlas(args)
    if atlas is None:
        return EXIT_INVALID
    for path in write_exports(atlas, args.out):
        print(f"wrote {os.path.relpath(path)}")
    return EXIT_OK


def run_pdf(args: argparse.Namespace) -> int:
    unavailable = pdf_unavailable()  # said first: no PDF can be made here, whatever the entries
    if unavailable:
        raise PdfUnavailable(unavailable)
    atlas = load_valid_atlas(args)
    if atlas is None:
        return EXIT_INVALID
    started = time.monotonic()
    print(f"laying out {len(atlas.entries)} entries as a PDF (about a second for every ten entries)...", file=sys.stderr)
    history = read_history(editions_folder(args.entries or default_entries()), atlas, show_unreleased=False)
    pages = write_atlas_pdf(atlas, args.out, content_dir=args.content, version=atlas_version(Path.cwd()), history=history)
    size = args.out.stat().st_size
    print(f"wrote {os.path.relpath(args.out)}: {pages} pages, {size // 1024} KiB, in {time.monotonic() - started:.1f} s")
    return EXIT_OK


def run_pages(args: argparse.Namespace) -> int:
    from generator.render.pages import build_pages
    from generator.render.site_source import Placeholders, SiteSource
    from generator.site.downloads import write_downloads
    from generator.site.pages_config import SiteConfig  # reads the atlas plugin's options with MkDocs' config machinery
    from generator.site.pages_output import refuse_unless_replaceable, write_pages

    site = SiteConfig.read(args.config_file)
    refuse_unless_replaceable(args.out)  # said before the entries are read: nothing is written either way
    entries = site.entries(args.entries)
    atlas = load_valid_atlas(argparse.Namespace(entries=entries, content=site.docs))
    if atlas is None:
        return EXIT_INVALID
    missing = pdf_unavailable() if args.downloads else None
    if missing:
        print(f"the PDF is skipped: {missing}", file=sys.stderr)
    pdf = args.downloads and not missing
    folder = site.editions or editions_folder(entries)
    history = read_history(folder, atlas, show_unreleased=bool(settings.current().unreleased))
    output = build_pages(atlas, directory_urls=site.directory_urls, limits=site.options.page_limits.limits(), history=history, site_url=site.site_url)
    source = SiteSource(
        atlas, output, site.root, site.docs, entries, directory_urls=site.directory_urls, site_url=site.site_url,
        placeholders=Placeholders(downloads=args.downloads, pdf=pdf, offline_zip=False, history=history),
    )

    def downloads(docs: Path) -> list[Path]:
        return write_downloads(atlas, docs, content_dir=site.docs, version=atlas_version(site.root), pdf=pdf, history=history)

    written = write_pages(source, site, args.out, also=downloads if args.downloads else None)
    print(
        f"wrote {os.path.relpath(args.out)}: {written.pages} pages ({written.generated} generated) and {written.files} other files; "
        f"build them with `zensical build` or `mkdocs build` in {os.path.relpath(args.out)}"
    )
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out):
        print(f"wrote {os.path.relpath(path)}")
    if args.issue_form:
        args.issue_form.parent.mkdir(parents=True, exist_ok=True)
        args.issue_form.write_text(issue_form_text(), encoding="utf-8")
        print(f"wrote {os.path.relpath(args.issue_form)}")
    return EXIT_OK


def run_edition(args: argparse.Namespace) -> int:
    entries_dir = args.entries or default_entries()
    folder = args.editions or editions_folder(entries_dir)
    ceiling = edition_ceiling()
    if args.date and args.date > ceiling.date:
        raise UsageError(f"--date {args.date.isoformat()} is after {ceiling.date.isoformat()} ({ceiling.origin}); an edition records what the atlas was")
    if args.git:
        if not entries_dir.is_dir():
            raise EntriesFolderMissing(f"entries folder not found: {entries_dir}")
        recorded = revision_snapshot(repository_of(entries_dir), args.git, entries_dir, args.date)
    else:
        atlas = load_valid_atlas(args)
        if atlas is None:
            return EXIT_INVALID
        recorded = atlas_snapshot(atlas, args.date)
    path = write_edition(recorded, folder)
    claims = sum(len(e.get("addresses", [])) for e in recorded.entries.values())
    print(f"wrote {os.path.relpath(path)}: {len(recorded.entries)} entries, {claims} claims, schema version {recorded.schema_version}")
    return EXIT_OK


def positive_days(text: str) -> int:
    """argparse type for --max-age."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days (a whole number, 1 or more)")
    return int(text)


def today() -> dt.date:
    """Today (UTC), or the day SOURCE_DATE_EPOCH names (for reproducible runs)."""
    return edition_ceiling().date


def run_check(args: argparse.Namespace) -> int:
    entries_dir = args.entries or default_entries()
    result = check_entries(entries_dir, args.content, ReviewPolicy(today(), args.max_age))
    problems = result.problems
    if args.strict:
        problems = [replace(p, severity="error") for p in problems]
    # stdout carries what fails the check (and, for GitHub, the warnings to annotate); other warnings go to stderr
    shown = problems if args.format == "github" else [p for p in problems if p.severity == "error"]
    output = format_problems(shown, args.format)
    if args.format == "json" or output:
        print(output)
    if args.format != "github":
        notes = format_problems([p for p in problems if p.severity != "error"], "text")
        if notes:
            print(notes, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.path for p in problems if p.severity == "error"})
    noted = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''} in {files} file{'s' if files != 1 else ''}{noted}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(result.entries)} entries are valid{noted}", file=sys.stderr)
    if args.due:
        atlas = link_atlas(result.entries, source_date_epoch=settings.current().source_date_epoch)
        print("\n".join(due_lines(review_queue(atlas, args.max_age), atlas.edition, args.max_age)))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except AtlasError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}{exc.outcome}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
