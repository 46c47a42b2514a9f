"""Whether this machine can make the PDF: WeasyPrint needs Pango and its libraries."""

from __future__ import annotations

import contextlib
import io
from functools import cache

INSTALL_HINT = (
    "WeasyPrint needs the Pango libraries, with HarfBuzz and fontconfig (Debian/Ubuntu: apt-get install "
    "libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango)"
)


@cache
def pdf_unavailable() -> str | None:
    """None when WeasyPrint can be imported; else one line saying why not and how to install what is missing.

    Without its libraries WeasyPrint prints a banner on standard output before it fails: it
    is swallowed here, since this line says the same.
    """
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError as exc:  # cffi could not load a library: "cannot load library 'libpango-1.0-0': ..."
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        reason = first.split(".  Additionally,")[0].rstrip(".")  # cffi then adds what ctypes could not find either
        return f"{reason}. {INSTALL_HINT}"
    except ModuleNotFoundError as exc:
        return f"the module {exc.name!r} is missing; install the dependencies first: pip install -r requirements.txt"
    return None
