"""The PDF does not depend on the machine that makes it.

Its fonts are its own (generator/pdf/print/fonts): the same entries give the same bytes whether
or not the machine has fonts installed, every font embedded is one of them, and every character
drawn is in them. A machine without WeasyPrint's system libraries (Pango) gets one line saying
what to install: from ``python -m generator pdf`` an error, from ``mkdocs build`` a site without the PDF.

The PDFs are made by real ``python -m generator pdf`` processes, run side by side once per module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO_ROOT, SMALL, TODAY_EPOCH
from fontTools.ttLib import TTFont

from generator.errors import PdfError
from generator.pdf.layout import PRINT_ASSETS, allowed_urls, lay_out

CONTENT = REPO_ROOT / "content"
FONTS = PRINT_ASSETS / "fonts"
VERSION = "fonts-test 1"
PARTS = "8000"  # cuts the small fixture into several parts, laid out by worker processes
# An embedded font's name, after its subset tag: a family of ours, bold or italic or both, never
# "Oblique" (a slant synthesised by the machine's fontconfig).
OUR_FONT = re.compile(r"(?:[A-Z]{6}\+)?(?P<family>Atlas-(?:Sans|Mono|Symbols))(?:-Bold)?(?:-Italic)?")
FAMILY_FILES = {"Atlas-Sans": "AtlasSans-*.ttf", "Atlas-Mono": "AtlasMono-*.ttf", "Atlas-Symbols": "AtlasSymbols-*.ttf"}
RESERVED_NAMES = ("Liberation", "Arimo", "Tinos", "Cousine")  # of the fonts' OFL: a Modified Version may not use them
NO_FONTS_WARNING = "No fonts configured in FontConfig"  # WeasyPrint's, at import, when fontconfig knows no font
PAGE = '<!DOCTYPE html><html><head><link rel="stylesheet" href="print.css"></head><body>{}</body></html>'


# --- building -------------------------------------------------------------------------------


def hide_fonts_config(folder: Path) -> Path:
    """A fontconfig configuration that knows no font directory, with a cache of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the atlas's settings and fontconfig's, then ``extra``."""
    dropped = ("ATLAS_", "SOURCE_DATE_EPOCH", "FONTCONFIG_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(NO_MKDOCS_2_WARNING="1", **extra)
    return env


def one_cpu() -> None:
    """In a child process before it runs: let it (and the workers it starts) use only one CPU."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def start_pdf(entries: Path, out: Path, *, cpus: int | None = None, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "pdf", "--entries", str(entries), "--content", str(CONTENT), "--out", str(out)],
        cwd=REPO_ROOT, env=clean_env(ATLAS_VERSION=VERSION, **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=one_cpu if cpus == 1 else None,
    )


@dataclass
class Built:
    path: Path
    stderr: str

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Built]:
    """The small fixture in one part and in several, each with the machine's fonts and with none; the shipped atlas."""
    root = tmp_path_factory.mktemp("pdf-fonts")
    hidden = {"FONTCONFIG_FILE": str(hide_fonts_config(root / "fontconfig"))}
    small = {"SOURCE_DATE_EPOCH": TODAY_EPOCH}
    wanted = {
        "one part": (SMALL, small),
        "one part, no fonts": (SMALL, {**small, **hidden}),
        "parts": (SMALL, {**small, "ATLAS_PDF_PART_SIZE": PARTS}),
        "parts, no fonts": (SMALL, {**small, "ATLAS_PDF_PART_SIZE": PARTS, **hidden}),
        "shipped": (REPO_ROOT / "entries", {}),  # edition: the latest review
        "shipped, one CPU": (REPO_ROOT / "entries", {}),
    }
    procs = {
        name: (root / f"{name}.pdf", start_pdf(entries, root / f"{name}.pdf", cpus=1 if "one CPU" in name else None, **env))
        for name, (entries, env) in wanted.items()
    }
    built = {}
    for name, (out, proc) in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name}: {stdout}{stderr}"
        built[name] = Built(out, stderr)
    return built


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs to compare with one")
def test_the_pdf_is_the_same_on_one_cpu_as_on_several(builds):
    """How a book is cut into parts, and its margins into documents, never depends on the CPUs there are."""
    assert "2 at a time" in builds["shipped"].stderr and "laying out" in builds["shipped, one CPU"].stderr
    assert builds["shipped, one CPU"].data == builds["shipped"].data


# --- reading the fonts ----------------------------------------------------------------------


def drawn_characters(font: pikepdf.Dictionary) -> set[str]:
    """The characters a font of the PDF draws, from its ToUnicode CMap (a glyph drawn as .notdef keeps its character)."""
    if "/ToUnicode" not in font:
        return set()
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    chars: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for _, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars.update(bytes.fromhex(text).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for low, high, first in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars.update(chr(int(first, 16) + i) for i in range(int(high, 16) - int(low, 16) + 1))
    return chars


def embedded_fonts(path: Path) -> dict[str, set[str]]:
    """Each font embedded in a PDF (its name, subset tag dropped) → the characters it draws."""
    fonts: dict[str, set[str]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/BaseFont" in obj:
                name = str(obj.BaseFont).lstrip("/").split("+")[-1]
                fonts.setdefault(name, set()).update(drawn_characters(obj))
    return fonts


def family_cmaps() -> dict[str, set[int]]:
    """Each family of ours → the code points every one of its files has."""
    cmaps = {}
    for family, pattern in FAMILY_FILES.items():
        files = sorted(FONTS.glob(pattern))
        assert files, pattern
        cmaps[family] = set.intersection(*(set(TTFont(f).getBestCmap()) for f in files))
    return cmaps


def foreign_fonts(names: list[str]) -> list[str]:
    """The names that are not fonts of ours."""
    return [name for name in names if not OUR_FONT.fullmatch(name)]


def uncovered(fonts: dict[str, set[str]]) -> list[str]:
    """Every character drawn by a font not of ours, or missing from the files of its family (drawn as .notdef), named."""
    cmaps = family_cmaps()
    found = []
    for name, chars in sorted(fonts.items()):
        match = OUR_FONT.fullmatch(name)
        for char in sorted(chars):
            if match is None:
                found.append(f"{char!r} (U+{ord(char):04X}) is drawn with {name}, a font of the machine's")
            elif ord(char) not in cmaps[match["family"]]:
                found.append(f"{char!r} (U+{ord(char):04X}) is not in {match['family']}: drawn as a blank box")
    return found


# --- the same bytes whatever fonts the machine has ------------------------------------------


@pytest.mark.parametrize("layout", ["one part", "parts"])
def test_hiding_the_machines_fonts_changes_no_byte(builds, layout):
    normal, hidden = builds[layout], builds[f"{layout}, no fonts"]
    assert NO_FONTS_WARNING in hidden.stderr  # the machine's fonts were hidden indeed
    assert NO_FONTS_WARNING not in normal.stderr
    assert hidden.data == normal.data


@pytest.mark.parametrize("name", ["shipped", "one part", "parts, no fonts"])
def test_every_embedded_font_is_one_of_ours(builds, name):
    fonts = embedded_fonts(builds[name].path)
    assert {"Atlas-Sans", "Atlas-Sans-Bold"} <= set(fonts)
    assert foreign_fonts(sorted(fonts)) == []


def test_the_font_check_tells_ours_from_the_machines():
    names = ["Atlas-Sans", "Atlas-Sans-Bold-Italic", "Atlas-Mono-Bold", "Atlas-Symbols", "DejaVuSans", "Atlas-Sans-Oblique", "LiberationSans"]
    assert foreign_fonts(names) == ["DejaVuSans", "Atlas-Sans-Oblique", "LiberationSans"]


@pytest.mark.parametrize("name", ["shipped", "one part"])
def test_every_character_drawn_is_in_the_vendored_fonts(builds, name):
    fonts = embedded_fonts(builds[name].path)
    drawn = set().union(*fonts.values())
    assert {"◆", "—", "é"} <= drawn if name == "shipped" else len(drawn) > 60
    assert uncovered(fonts) == []


def test_the_character_check_names_what_the_fonts_lack(tmp_path):
    out = tmp_path / "probe.pdf"
    out.write_bytes(lay_out(PAGE.format("<p>a 中 ◆ <code>x</code></p>")).data)
    found = uncovered(embedded_fonts(out))
    assert len(found) == 1, found
    assert "'中' (U+4E2D)" in found[0]


# --- what the layout may load ---------------------------------------------------------------


def test_the_layout_may_load_the_stylesheet_and_exactly_the_fonts_it_declares():
    declared = set(re.findall(r"url\((fonts/[^)]+\.ttf)\)", (PRINT_ASSETS / "print.css").read_text(encoding="utf-8")))
    shipped = {f"fonts/{path.name}" for path in FONTS.glob("*.ttf")}
    assert declared == shipped
    assert len(shipped) == 7
    assets = PRINT_ASSETS.resolve()
    assert allowed_urls(assets) == {(assets / "print.css").as_uri(), *((assets / name).as_uri() for name in shipped)}


@pytest.mark.parametrize(
    "source",
    [
        "url(fonts/OFL.txt)",
        "url(fonts/make_fonts.py)",
        'local("DejaVu Sans")',
        "url(file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)",
        "url(https://fonts.example/x.ttf)",
    ],
)
def test_lay_out_refuses_any_other_font(source):
    style = f'<style>@font-face {{ font-family: "Other"; src: {source}; }} p {{ font-family: "Other", "Atlas Sans"; }}</style>'
    with pytest.raises(PdfError) as raised:
        lay_out(PAGE.format(style + "<p>text</p>"))
    assert "may only load its own stylesheet and fonts" in str(raised.value)


def test_a_font_that_cannot_be_loaded_fails_the_layout(tmp_path):
    assets = tmp_path / "print"
    shutil.copytree(PRINT_ASSETS, assets)
    (assets / "fonts" / "AtlasSans-Regular.ttf").write_bytes(b"not a font")
    with pytest.raises(PdfError) as raised:
        lay_out(PAGE.format("<p>text</p>"), assets)
    assert "Font-face 'Atlas Sans' cannot be loaded" in str(raised.value)


# --- the licence ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FONTS.glob("*.ttf")), ids=lambda path: path.name)
def test_each_font_is_renamed_and_its_copyright_is_in_the_licence(path):
    names = TTFont(path)["name"]
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    for line in names.getDebugName(0).splitlines():
        assert line.strip().rstrip(".") in licence, line
    assert "Open Font License" in names.getDebugName(13)
    shown = [names.getDebugName(i) or "" for i in (1, 3, 4, 6, 16, 17)]
    assert [name for name in shown if any(reserved in name for reserved in RESERVED_NAMES)] == []
    assert names.getDebugName(1).startswith("Atlas ")


# --- without WeasyPrint's system libraries --------------------------------------------------

# Loaded at start-up by every process (workers too), it makes cffi fail to load Pango as it
# does on a machine without it: WeasyPrint then prints its banner and raises the OSError.
NO_PANGO = '''\
import cffi

_dlopen = cffi.FFI.dlopen


def dlopen(self, name, flags=0):
    if "pango" in str(name):
        raise OSError(
            f"cannot load library '{name}': {name}: cannot open shared object file: No such file or directory.  "
            f"Additionally, ctypes.util.find_library() did not manage to locate a library called '{name}'"
        )
    return _dlopen(self, name, flags)


cffi.FFI.dlopen = dlopen
'''
BANNER = "WeasyPrint could not import some external libraries"


@pytest.fixture
def no_pango(tmp_path) -> dict[str, str]:
    """The environment of a process that cannot load Pango."""
    folder = tmp_path / "no-pango"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(NO_PANGO, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


def test_the_simulation_makes_weasyprint_fail_as_without_pango(no_pango):
    done = subprocess.run([sys.executable, "-c", "import weasyprint"], env=clean_env(**no_pango), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert BANNER in done.stdout
    assert "OSError: cannot load library 'libpango-1.0-0'" in done.stderr


@pytest.mark.parametrize("part_size", [None, PARTS], ids=["one part", "parts"])
def test_pdf_without_pango_says_so_in_one_line(no_pango, tmp_path, part_size):
    out = tmp_path / "atlas.pdf"
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, **no_pango, **({"ATLAS_PDF_PART_SIZE": part_size} if part_size else {})}
    proc = start_pdf(SMALL, out, **env)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 3, stdout + stderr
    assert stdout == ""  # WeasyPrint's banner too is swallowed
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr  # said before any work: no progress line
    assert lines[0].startswith("python -m generator pdf: error: cannot load library 'libpango-1.0-0'")
    assert "WeasyPrint needs the Pango libraries" in lines[0]
    assert "apt-get install libpango-1.0-0" in lines[0]
    assert lines[0].endswith("; no PDF was written")
    assert not out.exists()


def test_site_without_pango_is_built_without_the_pdf(no_pango, tmp_path):
    site = tmp_path / "site"
    env = clean_env(ATLAS_ENTRIES=str(SMALL), SOURCE_DATE_EPOCH=TODAY_EPOCH, ATLAS_VERSION=VERSION, ATLAS_DOWNLOADS="1", **no_pango)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    skipped = [line for line in output.splitlines() if "The PDF is skipped" in line]
    assert len(skipped) == 1, output
    assert "libpango-1.0-0" in skipped[0]
    assert "apt-get install" in skipped[0]
    assert BANNER not in output
    assert "Traceback" not in output
    assert (site / "index.html").is_file()
    assert (site / "forums" / "index.html").is_file()
    assert not (site / "atlas.pdf").exists()
    assert "atlas.pdf" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "data" / "atlas.json").is_file()
