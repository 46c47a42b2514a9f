"""``python -m generator pages``: the site's source as files, for engines without plugins.

The small fixture atlas is written out once per module, with the repository's mkdocs.yml; the
same atlas is built once by MkDocs with the atlas plugin in this process, recording the Markdown
the plugin hands MkDocs for each page, and the pages output is built by plain MkDocs (no plugin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, SITE_URL, SMALL, TODAY_EPOCH, project_config, write_entries
from html_helpers import article, parse

from generator.pipeline import build_atlas
from generator.render.pages import build_pages
from generator.render.site_source import CONTRIBUTOR_PAGES, split_front_matter
from generator.render.source_layout import moved_links, page_file
from generator.site.build import SiteBuild
from generator.site.pages_output import MARKER

EDIT_BASE = "https://github.com/space-governance-atlas/atlas/edit/main/"
CHECKER = REPO_ROOT / ".ci" / "check_pages_site.py"


@dataclass
class Output:
    out: Path  # the pages output of the small fixture, from the repository's mkdocs.yml
    code: int
    stdout: str
    stderr: str

    def page(self, docs_path: str) -> tuple[str, dict]:
        """The Markdown and front matter of the page at ``docs_path`` (in the site), from its file in the output."""
        return split_front_matter((self.out / "docs" / page_file(docs_path)).read_text(encoding="utf-8"))


def run_pages(*args: str, cwd: Path = REPO_ROOT) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES", "ATLAS_UNRELEASED")}
    env.update(SOURCE_DATE_EPOCH=TODAY_EPOCH, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO_ROOT))
    done = subprocess.run([sys.executable, "-m", "generator", "pages", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_ENTRIES",)}
    env.update(SOURCE_DATE_EPOCH=TODAY_EPOCH, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Output:
    out = tmp_path_factory.mktemp("pages") / "out"
    return Output(out, *run_pages("--entries", str(SMALL), "--out", str(out)))


def test_every_generated_page_is_written_with_its_front_matter(output: Output, monkeypatch):
    assert output.code == 0, output.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)  # as the command ran
    atlas = build_atlas(SMALL, REPO_ROOT / "content")
    pages = build_pages(atlas, site_url=SITE_URL).pages
    assert len(pages) > len(atlas.entries)
    for path, page in pages.items():
        markdown, meta = output.page(path)
        if "](" not in page.markdown:  # Markdown links are rewritten for the page's new place (the plugin's test below)
            assert markdown == page.markdown, path
        assert meta["title"] == page.title and meta["atlas_head"] == page.meta["atlas_head"], path
        for key, value in page.meta.items():
            assert meta[key] == value, (path, key)
        entry = page.entry
        assert meta.get("edit_url") == (EDIT_BASE + f"tests/fixtures/small/{entry.kind}s/{entry.id}.yaml" if entry else None), path
    assert output.page("fields.md")[1]["search"] == {"exclude": True}  # a contributor page, left out of search
    assert output.page("coverage/matrix.md")[1]["hide"] == ["toc"]
    assert f"{len(pages)} generated" in output.stdout


def test_hand_written_pages_have_their_placeholders_filled(output: Output):
    for source in sorted((REPO_ROOT / "content").glob("*.md")):
        markdown, meta = output.page(source.name)
        assert "<!-- atlas:" not in markdown, source.name
        assert meta["edit_url"] == EDIT_BASE + f"content/{source.name}"
        assert split_front_matter(source.read_text(encoding="utf-8"))[1].items() <= meta.items()  # its own front matter is kept
    assert "<!-- atlas:count forum -->" in (REPO_ROOT / "content" / "methodology.md").read_text(encoding="utf-8")
    assert "(2 in this edition)" in output.page("methodology.md")[0]  # the small atlas has two forums
    guide, meta = output.page("contributing.md")
    assert guide.startswith((REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")[:200].strip()[:80])
    assert meta["edit_url"] == EDIT_BASE + "CONTRIBUTING.md" and meta["search"] == {"exclude": True}
    assert set(CONTRIBUTOR_PAGES) == {"contributing.md", "fields.md"}


def test_assets_files_and_configuration_are_written(output: Output, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    docs = output.out / "docs"
    content = REPO_ROOT / "content"
    for asset in content.rglob("*"):
        if asset.is_file() and asset.suffix != ".md":
            assert (docs / asset.relative_to(content)).read_bytes() == asset.read_bytes(), asset
    atlas = build_atlas(SMALL, content)
    for path in build_pages(atlas, site_url=SITE_URL).files:  # feeds, citations, the editions' data
        assert (docs / path).is_file(), path
    config = yaml.safe_load((output.out / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "atlas" not in names and "offline" not in names and "search" in names
    assert config["docs_dir"] == "docs" and "edit_uri" not in config
    assert config["theme"]["custom_dir"] == "overrides" and (output.out / "overrides" / "main.html").is_file()
    assert (output.out / "overrides" / "partials" / "actions.html").is_file()
    assert "generator.render.table_scopes" in config["markdown_extensions"]
    assert config["extra_css"] == yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra_css"]

    def paths(nav: object) -> Iterator[str]:
        if isinstance(nav, str):
            yield nav
        for value in nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []:
            yield from paths(value)

    assert all((docs / path).is_file() for path in paths(config["nav"]))
    assert "/forums/*/index.md" in config["not_in_nav"].splitlines()
    assert (output.out / MARKER).is_file()


def test_invalid_entries_write_nothing_and_say_what_check_says(tmp_path: Path, run_cli):
    entries = write_entries(tmp_path / "entries", {"forums/alpha-forum.yaml": "id: alpha-forum\nkind: forum\n"})
    code, _, err = run_pages("--entries", str(entries), "--out", str(tmp_path / "out"))
    check_code, check_out, _ = run_cli("check", "--entries", str(entries))
    assert (code, check_code) == (1, 1)
    assert check_out.strip() and check_out.strip() in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["entries"]


def test_usage_errors_exit_2(tmp_path: Path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run_pages("--entries", str(SMALL))[0] == 2  # no --out
    code, _, err = run_pages("--entries", str(SMALL), "--out", str(tmp_path / "out"), "-f", str(tmp_path / "none.yml"))
    assert code == 2 and "configuration not found" in err and not (tmp_path / "out").exists()
    code, _, err = run_pages("--entries", str(SMALL), "--out", str(tmp_path / "file"))
    assert code == 2 and "is a file" in err and (tmp_path / "file").read_text(encoding="utf-8") == "x"
    code, _, err = run_pages("--entries", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert code == 2 and not (tmp_path / "out").exists()


def test_a_folder_that_is_not_a_pages_output_is_left_alone(tmp_path: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_pages("--entries", str(SMALL), "--out", str(tmp_path / "out"))
    assert code == 1 and "not an earlier pages output" in err and "nothing was written" in err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_an_earlier_pages_output_is_replaced_whole(tmp_path: Path):
    out = tmp_path / "out"
    assert run_pages("--entries", str(SMALL), "--out", str(out))[0] == 0
    (out / "docs" / "stale.md").write_text("# Stale", encoding="utf-8")
    assert run_pages("--entries", str(SMALL), "--out", str(out))[0] == 0
    assert not (out / "docs" / "stale.md").exists() and (out / "docs" / "forums" / "alpha-forum" / "index.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left behind


# --- the plugin and the command make the same pages; every engine resolves their links alike -----------------------


@dataclass
class HookBuild:
    site: Path
    markdown: dict[str, str]  # docs path → the Markdown the plugin handed MkDocs
    meta: dict[str, dict]
    pages: Path  # the pages output of the same project


@pytest.fixture(scope="module")
def hook_build(tmp_path_factory) -> HookBuild:
    """The small atlas built in this process by MkDocs with the plugin (downloads off), and written by ``pages``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.cli import main

    root = tmp_path_factory.mktemp("hook")
    config_file = project_config(root / "project", entries=str(SMALL), downloads=False)
    recorded: dict[str, str] = {}
    metas: dict[str, dict] = {}
    original = SiteBuild.page_markdown

    def recording(self, markdown, page, config):
        recorded[page.file.src_uri] = result = original(self, markdown, page, config)
        metas[page.file.src_uri] = dict(page.meta)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SiteBuild, "page_markdown", recording)
        patch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        patch.delenv("ATLAS_ENTRIES", raising=False)
        patch.delenv("ATLAS_UNRELEASED", raising=False)
        from generator import settings

        settings.current.cache_clear()
        config = load_config(str(config_file), site_dir=str(root / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        assert main(["pages", "-f", str(config_file), "--out", str(root / "pages")]) == 0
        settings.current.cache_clear()
    return HookBuild(root / "site", recorded, metas, root / "pages")


def test_the_plugin_and_the_command_make_the_same_markdown(hook_build: HookBuild):
    written = {page: page_file(page) for page in hook_build.markdown}
    moved = {old: new for old, new in written.items() if old != new}
    assert len(hook_build.markdown) > 20 and moved
    for path, markdown in hook_build.markdown.items():
        text, meta = split_front_matter((hook_build.pages / "docs" / written[path]).read_text(encoding="utf-8"))
        assert text == moved_links(markdown, path, written[path], moved), path
        assert {k: v for k, v in hook_build.meta[path].items() if k != "edit_url"} == {k: v for k, v in meta.items() if k != "edit_url"}, path


def _links(html: str) -> list[str]:
    return [value for tag in parse(article(html)).tags for name, value in tag.attrs.items() if name in ("href", "src") and value]


@pytest.fixture(scope="module")
def plain_site(hook_build: HookBuild) -> Path:
    """The pages output, built by MkDocs without the plugin."""
    done = mkdocs(hook_build.pages / "mkdocs.yml", hook_build.pages / "site")
    assert done.returncode == 0, done.stderr
    return hook_build.pages / "site"


@pytest.fixture(scope="module")
def plain_output_site(output: Output) -> Path:
    """The pages output of the repository's mkdocs.yml, built by MkDocs without the plugin."""
    done = mkdocs(output.out / "mkdocs.yml", output.out / "site")
    assert done.returncode == 0, done.stderr
    return output.out / "site"


@pytest.mark.parametrize("which", ["project", "repository"])
def test_plain_mkdocs_builds_the_pages_with_no_broken_link(which: str, request):
    site = request.getfixturevalue("plain_site" if which == "project" else "plain_output_site")
    done = subprocess.run(
        [sys.executable, str(CHECKER), str(site), str(SMALL), "--site-url", SITE_URL, "--anchors"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 entry pages missing, 0 links broken" in done.stderr


def test_every_page_links_where_the_plugins_site_does(hook_build: HookBuild, plain_site: Path):
    pages = sorted(p.relative_to(hook_build.site) for p in hook_build.site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        assert _links((plain_site / page).read_text(encoding="utf-8")) == _links((hook_build.site / page).read_text(encoding="utf-8")), page


def test_the_edit_link_opens_the_file_a_page_came_from(plain_output_site: Path):
    for page, source in (("forums/alpha-forum", "tests/fixtures/small/forums/alpha-forum.yaml"), ("methodology", "content/methodology.md")):
        html = (plain_output_site / page / "index.html").read_text(encoding="utf-8")
        edits = [tag.attrs.get("href") for tag in parse(html).tags if tag.attrs.get("rel") == "edit"]
        assert edits == [EDIT_BASE + source], page
    html = (plain_output_site / "coverage" / "index.html").read_text(encoding="utf-8")  # no file of its own
    assert not [tag for tag in parse(html).tags if tag.attrs.get("rel") == "edit"]


ZENSICAL = os.environ.get("ZENSICAL") or shutil.which("zensical")


@pytest.mark.skipif(ZENSICAL is None, reason="Zensical is not installed here (pip install -r requirements-zensical.txt; ZENSICAL=path/to/zensical)")
def test_zensical_builds_the_pages_with_no_broken_link(hook_build: HookBuild, tmp_path: Path):
    pages = tmp_path / "pages"
    shutil.copytree(hook_build.pages, pages, ignore=shutil.ignore_patterns("site"))
    done = subprocess.run([str(ZENSICAL), "build", "--strict", "-f", str(pages / "mkdocs.yml")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    checked = subprocess.run(
        [sys.executable, str(CHECKER), str(pages / "site"), str(SMALL), "--site-url", SITE_URL, "--anchors"], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for page in sorted(p.relative_to(hook_build.site) for p in hook_build.site.rglob("index.html")):
        assert _links((pages / "site" / page).read_text(encoding="utf-8")) == _links((hook_build.site / page).read_text(encoding="utf-8")), page


def test_downloads_are_written_into_the_pages_on_request(tmp_path: Path):
    code, _, err = run_pages("--entries", str(SMALL), "--out", str(tmp_path / "out"), "--downloads")
    assert code == 0, err
    docs = tmp_path / "out" / "docs"
    assert (docs / "data" / "atlas.json").is_file() and (docs / "data" / "forums.csv").is_file()
    assert (docs / "atlas.pdf").is_file() or "the PDF is skipped" in err
    data = (docs / "data" / "index.md").read_text(encoding="utf-8")
    assert 'href="../data/atlas.json"' in data and "atlas-offline.zip" not in data  # the data page links them; there is no offline copy
