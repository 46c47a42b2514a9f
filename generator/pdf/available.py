"""Whether this machine can make the PDF: WeasyPrint needs Pango and its libraries."""

from __future__ import annotations

from functools import cache

INSTALL_HINT = (
    "WeasyPrint needs the Pango libraries (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
    "macOS: brew install pango)"
)


@cache
def pdf_unavailable() -> str | None:
    """None when WeasyPrint can be imported; else one line saying why not and how to install what is missing."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # cffi could not load a library: "cannot load library 'libpango-1.0-0': ..."
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"{reason}. {INSTALL_HINT}"
    except ModuleNotFoundError as exc:
        return f"the module {exc.name!r} is missing; install the dependencies first: pip install -r requirements.txt"
    return None
