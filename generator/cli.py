"""The command line: ``python -m generator check``.

Exit codes: 0 valid, 1 invalid entries, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.pipeline import EntriesFolderMissing, check_entries
from generator.problems import format_problems

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
    return parser


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
