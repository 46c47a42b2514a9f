"""The measured stages, each run in a process of its own by ``run.py``.

    python benchmarks/stages.py floor DIR         parse every file with PyYAML's C loader, nothing else
    python benchmarks/stages.py core DIR          load + validate + link + render every page, in memory
    python benchmarks/stages.py prerender DIR OUT write the rendered pages and an mkdocs.yml without the core into OUT

Each prints one line of JSON describing what it did, so that runs can be compared.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def floor(entries: Path) -> dict[str, int]:
    files = sorted(entries.rglob("*.yaml"))
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {"files": len(files)}


def core(entries: Path) -> dict[str, int]:
    from generator.editions.history import editions_folder, read_history
    from generator.pipeline import build_atlas
    from generator.render.pages import build_pages

    atlas = build_atlas(entries, ROOT / "content")
    history = read_history(editions_folder(entries), atlas, show_unreleased=True)  # as a preview: the changes since the latest edition too
    output = build_pages(atlas, history=history, site_url="https://atlas.example.org/")  # the site's files (feeds, citations) too
    pages = output.pages
    entry_pages = [p for p in pages.values() if p.entry is not None]
    return {
        "entries": len(atlas.entries),
        "pages": len(pages),
        "bytes": sum(len(p.markdown) for p in pages.values()),
        "largest_entry_page": max((len(p.markdown) for p in entry_pages), default=0),
        "largest_page": max((len(p.markdown) for p in pages.values()), default=0),
        "files": len(output.files),
    }


def prerender(entries: Path, out: Path) -> dict[str, int]:
    """The same site as Markdown files, built by MkDocs without the generator's hook.

    The pages are those the hook hands MkDocs (:class:`generator.render.site_source.SiteSource`), at the
    same paths, so that the pre-rendered build differs from the real one only by the core's work.
    """
    from generator.pipeline import build_atlas
    from generator.render.pages import build_pages
    from generator.render.site_source import SiteSource

    atlas = build_atlas(entries, ROOT / "content")
    output = build_pages(atlas)
    source = SiteSource(atlas, output, ROOT, ROOT / "content", entries)
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(ROOT / "content", docs)
    for page in source.pages():
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({**page.meta, "atlas_generated": True} if page.generated else page.meta, ensure_ascii=False)
        target.write_text(f"---\n{meta}\n---\n\n{page.markdown}", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {docs}")
    plugin = re.search(r"^  - atlas:\n(?:      .*\n)*", config, re.M)  # the atlas plugin and its options
    assert plugin, "mkdocs.yml has no atlas plugin"
    config = config.replace(plugin.group(0), "") + f"\nhooks:\n  - {ROOT / 'benchmarks' / 'prerendered_hook.py'}\n"
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return {"pages": len(output.pages)}


def main() -> None:
    stage, *args = sys.argv[1:]
    if stage == "floor":
        result = floor(Path(args[0]))
    elif stage == "core":
        result = core(Path(args[0]))
    elif stage == "prerender":
        result = prerender(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
