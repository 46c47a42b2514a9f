"""Make the vendored fonts of the atlas PDF: subsets of Liberation Sans/Mono 2.1.5 (renamed
"Atlas Sans"/"Atlas Mono", since "Liberation", "Arimo" and "Cousine" are Reserved Font Names
of their OFL and a subset is a Modified Version) and of Noto Sans Symbols2 2.003 (no reserved
name; renamed "Atlas Symbols" anyway, so that no system font can be mistaken for it).

Usage: python make_fonts.py LIBERATION2_DIR NOTO_DIR OUT_DIR
(Debian: fonts-liberation2 2.1.5-1 -> /usr/share/fonts/truetype/liberation2,
         fonts-noto-core 20201225-1 -> /usr/share/fonts/truetype/noto)
Deterministic: the same inputs give the same bytes (head.modified is kept).
A maintainer's tool, run by hand when the fonts change: nothing runs it at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

TEXT_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF),   # Basic Latin, Latin-1 Supplement
    (0x0100, 0x017F), (0x0180, 0x024F),   # Latin Extended-A, -B
    (0x0250, 0x02AF), (0x02B0, 0x02FF),   # IPA, spacing modifier letters
    (0x0300, 0x036F),                     # combining diacritical marks
    (0x0370, 0x03FF),                     # Greek and Coptic
    (0x0400, 0x04FF), (0x0500, 0x052F),   # Cyrillic, Cyrillic Supplement
    (0x1E00, 0x1EFF),                     # Latin Extended Additional
    (0x2000, 0x206F), (0x2070, 0x209F),   # General Punctuation, super- and subscripts
    (0x20A0, 0x20CF), (0x2100, 0x214F),   # currency, letterlike symbols
    (0x2150, 0x218F), (0x2190, 0x21FF),   # number forms, arrows
    (0x2200, 0x22FF),                     # mathematical operators
    (0x25A0, 0x25FF),                     # geometric shapes
    (0xFB00, 0xFB06), (0xFFFC, 0xFFFD),   # ligatures fi fl…, replacement characters
]
SYMBOL_RANGES = [
    (0x0020, 0x0020), (0x00A0, 0x00A0),   # spaces: Pango gives a space between two symbols
    (0x2000, 0x200B), (0x202F, 0x202F),   # to the symbols' font (without one: a .notdef)
    (0x205F, 0x205F),
    (0x2190, 0x21FF),                     # arrows
    (0x25A0, 0x25FF),                     # geometric shapes ◆ ◇ …
    (0x2600, 0x26FF), (0x2700, 0x27BF),   # miscellaneous symbols, dingbats ✓ ✗ …
]
SANS = {"Regular": "LiberationSans-Regular.ttf", "Bold": "LiberationSans-Bold.ttf",
        "Italic": "LiberationSans-Italic.ttf", "BoldItalic": "LiberationSans-BoldItalic.ttf"}
MONO = {"Regular": "LiberationMono-Regular.ttf", "Bold": "LiberationMono-Bold.ttf"}
STYLE_NAMES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}


def codepoints(ranges: list[tuple[int, int]]) -> list[int]:
    """Every code point of ``ranges`` (inclusive)."""
    return [c for lo, hi in ranges for c in range(lo, hi + 1)]


def rename(font: TTFont, family: str, style: str, source: str) -> None:
    """Give the subset names of its own (name IDs 1-4, 6, 16, 17), keeping copyright, trademark and licence."""
    ps = f"{family.replace(' ', '')}-{style}"
    full = family if style == "Regular" else f"{family} {STYLE_NAMES[style]}"
    name = font["name"]
    version = name.getDebugName(5)
    new = {1: family, 2: STYLE_NAMES[style], 3: f"{version};{ps}", 4: full, 6: ps,
           5: f"{version}; subset of {source} for the Space Governance Atlas"}
    name.removeNames(nameID=16)
    name.removeNames(nameID=17)
    for record in list(name.names):
        if record.nameID in new:
            name.setName(new[record.nameID], record.nameID, record.platformID, record.platEncID, record.langID)
    # Style-linking fields stay as they are (the original family had the same four styles).


def make(src: Path, out: Path, ranges: list[tuple[int, int]], family: str, style: str, source_name: str) -> Path:
    """Subset ``src`` to ``ranges``, rename it ``family`` ``style`` and save it as ``out``."""
    options = subset.Options()
    options.layout_features = ["*"]        # keep kerning, ligatures, marks
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False                # the PDF is unhinted anyway
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM", "DSIG"]
    font = TTFont(src, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints(ranges))
    subsetter.subset(font)
    rename(font, family, style, source_name)
    font.save(out)
    return out


def main(liberation: str, noto: str, out: str) -> None:
    """Make the seven fonts from the Liberation 2 and Noto folders into ``out``."""
    lib_dir, noto_dir, out_dir = Path(liberation), Path(noto), Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for style, file in SANS.items():
        print(make(lib_dir / file, out_dir / f"AtlasSans-{style}.ttf", TEXT_RANGES, "Atlas Sans", style, f"Liberation Sans 2.1.5 ({file})"))
    for style, file in MONO.items():
        print(make(lib_dir / file, out_dir / f"AtlasMono-{style}.ttf", TEXT_RANGES, "Atlas Mono", style, f"Liberation Mono 2.1.5 ({file})"))
    print(make(noto_dir / "NotoSansSymbols2-Regular.ttf", out_dir / "AtlasSymbols-Regular.ttf", SYMBOL_RANGES,
               "Atlas Symbols", "Regular", "Noto Sans Symbols2 2.003 (NotoSansSymbols2-Regular.ttf)"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
