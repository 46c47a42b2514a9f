"""Lay out one HTML document with WeasyPrint, which may read only the print assets: the
stylesheet and the fonts it declares; tagged, as PDF/UA-1, unless it is only measured or laid over."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import PdfError
from generator.pipeline import gc_paused

PRINT_ASSETS = Path(__file__).parent / "print"
FONTS = "fonts"  # the folder of the PDF's fonts in the print assets, declared by @font-face in print.css
# WeasyPrint only warns when a declared font cannot be loaded: the text would then take a font
# of the machine's, so here it is a failure.
FONT_FAILURES = ("Font-face ",)
# A tagged PDF (structure tree, marked content, language, title shown) for readers of every kind:
# WeasyPrint's PDF/UA-1 variant, which also writes the XMP metadata that says so.
PDF_VARIANT = "pdf/ua-1"


@lru_cache(maxsize=4)
def print_environment(assets: Path) -> jinja2.Environment:
    """The Jinja environment of the print templates in ``assets``: auto-escaping, strict."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(assets), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Laid:
    """A laid-out document: its PDF, whether each page is landscape, and the page (0-based) of each section."""

    data: bytes
    landscape: tuple[bool, ...]
    anchors: dict[str, int]
    warnings: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.landscape)


class Messages(logging.Handler):
    """Collects WeasyPrint's messages of ``level`` and above, which it would otherwise only log,
    and the warnings that start with one of ``also``."""

    def __init__(self, level: int, also: tuple[str, ...] = ()) -> None:
        super().__init__(min(level, logging.WARNING) if also else level)
        self.least = level
        self.also = also
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= self.least or message.startswith(self.also):
            self.messages.append(message)


def allowed_urls(assets: Path) -> frozenset[str]:
    """What a layout may load: ``assets``/print.css and the font files beside it (``fonts/*.ttf``), by exact URL."""
    return frozenset({(assets / "print.css").as_uri(), *(font.as_uri() for font in (assets / FONTS).glob("*.ttf"))})


def lay_out(html: str, assets: Path | None = None, *, tagged: bool = True) -> Laid:
    """Lay out one HTML document whose only allowed fetches are ``assets``/print.css and its fonts;
    ``tagged``: as PDF/UA-1 (:data:`PDF_VARIANT`), else untagged (less work, for a document never shown as it is)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    assets = (assets or PRINT_ASSETS).resolve()
    allowed = allowed_urls(assets)

    class AssetsOnly(URLFetcher):
        """Fetches the print stylesheet and its fonts and nothing else: no other file, no network."""

        def fetch(self, url: str, headers: object = None) -> object:
            if url not in allowed:
                raise PdfError(f"the PDF may only load its own stylesheet and fonts, not {url}")
            return super().fetch(url, headers)

    failures = Messages(logging.ERROR, also=FONT_FAILURES)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        # WeasyPrint's millions of boxes turn into garbage only once the PDF is written: the
        # cycle collector, left on, rescans them over and over (a fifth of the time).
        with gc_paused():
            document = HTML(string=html, base_url=assets.as_uri() + "/", url_fetcher=AssetsOnly(fail_on_errors=True)).render()
            if failures.messages:
                raise PdfError("; ".join(failures.messages))
            data = document.write_pdf(pdf_variant=PDF_VARIANT if tagged else None)
            laid = Laid(data, tuple(page.width > page.height for page in document.pages), _section_pages(document.pages))
    except FatalURLFetchingError as exc:
        raise PdfError(f"{exc}: {exc.__cause__}" if exc.__cause__ else str(exc)) from None
    finally:
        logger.removeHandler(failures)
        document = None
        gc.collect()
    if not data or not laid.pages:
        raise PdfError("the layout produced no pages")
    return laid


def _section_pages(pages: list[Any]) -> dict[str, int]:
    """Each section's anchor (``p-…`` without ``--``) → the page index it starts on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            if "--" not in name:
                anchors.setdefault(name, number)
    return anchors
