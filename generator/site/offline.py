"""The offline copy of the site: a second build, in this process, with Material's offline plugin.

It is built from the atlas the first build validated (nothing is checked twice) into a
temporary folder, given the first build's PDF and data files, and zipped into the site.
The engine that runs the first build (MkDocs, or its fork ProperDocs) runs the second.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

from mkdocs.exceptions import Abort

from generator.link.atlas import Atlas
from generator.site.downloads import DATA_FOLDER, OFFLINE_ZIP, PDF_NAME, zip_folder

PLUGIN = "atlas"
OFFLINE_PLUGIN = "material/offline"


@runtime_checkable
class BuildsOfflineCopies(Protocol):
    """The atlas plugin, which MkDocs keeps for the life of the process: the second build gets the same object."""

    def building_offline_copy(self, atlas: Atlas) -> AbstractContextManager[None]: ...


ENGINES = ("mkdocs", "properdocs")  # the packages whose builds run the atlas plugin


def engine_of(config: object) -> str:
    """The package of the engine whose configuration ``config`` is: ``mkdocs`` or ``properdocs``."""
    package = type(config).__module__.split(".", 1)[0]
    return package if package in ENGINES else "mkdocs"


@contextmanager
def _quiet(engine: str) -> Iterator[None]:
    """The engine says only warnings and errors while the copy is built, as ``mkdocs build --quiet`` would."""
    logger = logging.getLogger(engine)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def write_offline_copy(config_file: str, atlas: Atlas, site: Path, downloads: list[Path], engine: str = "mkdocs") -> None:
    """Build the site for reading from files into a zip in ``site``, with the PDF and the data files, with ``engine``."""
    build = importlib.import_module(f"{engine}.commands.build").build
    load_config = importlib.import_module(f"{engine}.config").load_config
    with tempfile.TemporaryDirectory(prefix="atlas-offline-") as tmp:
        offline = Path(tmp) / "site"
        with _quiet(engine):
            config = load_config(config_file, site_dir=str(offline))
            atlas_plugin = config.plugins.get(PLUGIN)
            if OFFLINE_PLUGIN not in config.plugins or not isinstance(atlas_plugin, BuildsOfflineCopies):
                raise Abort(f"The offline copy needs the plugins '{OFFLINE_PLUGIN}' and '{PLUGIN}' in {config_file}")
            config.plugins[OFFLINE_PLUGIN].config.enabled = True
            with atlas_plugin.building_offline_copy(atlas):
                build(config)
        for path in downloads:  # the PDF and the data files; the online Data page (data/index.html) is not for offline use
            target = offline / (path.name if path.name == PDF_NAME else f"{DATA_FOLDER}/{path.name}")
            target.parent.mkdir(exist_ok=True)
            shutil.copy2(path, target)
        zip_folder(offline, site / OFFLINE_ZIP, atlas.edition)
