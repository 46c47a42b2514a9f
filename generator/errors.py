"""Every failure the generator reports, as one hierarchy under :class:`AtlasError`.

The command line and the site face catch :class:`AtlasError` only; each class says
which exit code it stands for:

- 1 :data:`EXIT_INVALID`: the entries or an edition are invalid, or a new entry, an edition or a pages output was refused;
- 2 :data:`EXIT_USAGE`: a usage error (a folder that does not exist, a setting that is wrong);
- 3 :data:`EXIT_INTERNAL`: an internal failure (a worker process that died, a PDF that could not be made).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from generator.problems import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class AtlasError(Exception):
    """The root: a failure with a message fit for a user, and the exit code it stands for."""

    exit_code: ClassVar[int] = EXIT_INTERNAL
    outcome: ClassVar[str] = ""  # what the failure left undone, said after its message


class AtlasInvalid(AtlasError):
    """The entries have errors; nothing may be built from them."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the entries; nothing was built")


class ScaffoldRefused(AtlasError):
    """A new entry's file could not be written (it exists, or its folder is not an entries folder)."""

    exit_code = EXIT_INVALID


class EditionRefused(AtlasError):
    """An edition could not be recorded: its file exists, or a later edition does."""

    exit_code = EXIT_INVALID
    outcome = "; no edition was written"


class PagesRefused(AtlasError):
    """The pages output's folder holds something else than an earlier pages output."""

    exit_code = EXIT_INVALID
    outcome = "; nothing was written"


class EditionInvalid(AtlasError):
    """An edition file cannot be read as an edition, or the entries of a revision cannot be read."""

    exit_code = EXIT_INVALID


class UsageError(AtlasError):
    """What the user asked for cannot be done as asked: a missing folder, a wrong setting."""

    exit_code = EXIT_USAGE


class EntriesFolderMissing(UsageError):
    """The entries folder does not exist."""


class SettingsInvalid(UsageError):
    """A setting (an environment variable or an option in mkdocs.yml) has a value it cannot take."""


class InternalFailure(AtlasError):
    """The generator could not finish work that valid input should allow."""

    exit_code = EXIT_INTERNAL


class WorkersFailed(InternalFailure):
    """A worker process died, or what had to go to or from one could not be pickled."""


class PdfError(InternalFailure):
    """The PDF could not be made; nothing was written."""

    outcome = "; no PDF was written"


class PdfUnavailable(PdfError):
    """WeasyPrint's system libraries (Pango) are missing, so no PDF can be made on this machine."""
