"""The command line: ``python -m generator check | new | schema``.

Exit codes: 0 success, 1 invalid entries (or a refused ``new``), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.fields import SLUG_MAX, SLUG_PATTERN
from generator.kinds import KINDS
from generator.pipeline import EntriesFolderMissing, check_entries
from generator.problems import format_problems
from generator.scaffold import ScaffoldRefused, write_skeleton
from generator.schema import write_schemas

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def default_entries() -> Path:
    """The entries folder: ATLAS_ENTRIES when set, else ./entries."""
    return Path(os.environ.get("ATLAS_ENTRIES") or "entries")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="The Space Governance Atlas generator.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser("check", help="validate the entries and print every problem", description="Validate every entry file and print every problem found.")
    check.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    check.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="site pages that sources may cite as documents (default: ./content)")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems (default: text)")
    check.set_defaults(run=run_check)

    new = commands.add_parser("new", help="write the skeleton of a new entry", description="Write entries/<kind>s/<id>.yaml with every field of the kind, ready to fill in. Never overwrites.")
    new.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    new.add_argument("id", type=entry_id, metavar="ID", help="the new entry's id: lowercase letters, digits and single hyphens")
    new.add_argument("--name", default=None, help="the entry's full name")
    new.add_argument("--entries", type=Path, default=None, metavar="DIR", help="entries folder (default: $ATLAS_ENTRIES or ./entries)")
    new.set_defaults(run=run_new)

    schema = commands.add_parser("schema", help="write the JSON Schema of each kind", description="Write one JSON Schema per kind, for editors and other tools.")
    schema.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write <kind>.schema.json files into")
    schema.set_defaults(run=run_schema)
    return parser


def entry_id(text: str) -> str:
    """argparse type for ids: the same rule as the id field."""
    import re

    if len(text) > SLUG_MAX or not re.match(SLUG_PATTERN, text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a valid id: use lowercase letters, digits and single hyphens"
            f" (like 'space-data-association'), at most {SLUG_MAX} characters"
        )
    return text


def run_new(args: argparse.Namespace) -> int:
    entries_dir = args.entries or default_entries()
    try:
        path = write_skeleton(entries_dir, args.kind, args.id, args.name)
    except ScaffoldRefused as exc:
        print(f"python -m generator new: {exc}", file=sys.stderr)
        return EXIT_INVALID
    shown = os.path.relpath(path)
    print(f"wrote {shown}")
    print(f"next: fill in every TODO and YYYY-MM-DD in {shown}, then run: python -m generator check")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out):
        print(f"wrote {os.path.relpath(path)}")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    entries_dir = args.entries or default_entries()
    result = check_entries(entries_dir, args.content)
    output = format_problems(result.problems, args.format)
    if args.format == "json" or output:
        print(output)
    errors = len(result.errors)
    files = len({p.path for p in result.errors})
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(result.entries)} entries are valid", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except EntriesFolderMissing as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
