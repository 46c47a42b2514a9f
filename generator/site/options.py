"""The options of the atlas plugin in mkdocs.yml, checked by MkDocs' config machinery.

```yaml
plugins:
  - atlas:
      entries: entries        # the entries folder, beside mkdocs.yml
      downloads: true         # `mkdocs build` also writes the PDF, the open data and the offline copy
      editions: editions      # the recorded editions (default: editions/ beside the entries folder)
      page_limits:            # how long a list grows on one page before it is split
        index_rows: 500
```

The environment may override ``entries`` and ``downloads`` for one run (:mod:`generator.settings`).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.render.page import Limits

_DEFAULTS = Limits()


class Positive(c.Type[int]):
    """A whole number of 1 or more."""

    def __init__(self, default: int | None) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError(f"Expected a whole number of 1 or more, but received: {value!r}")
        return value


class PageLimits(base.Config):
    """The fields of :class:`generator.render.page.Limits`, each a whole number."""

    index_rows = Positive(_DEFAULTS.index_rows)
    matrix_rows = Positive(_DEFAULTS.matrix_rows)
    claims_per_level = Positive(_DEFAULTS.claims_per_level)
    members_shown = Positive(_DEFAULTS.members_shown)
    names_per_cell = Positive(_DEFAULTS.names_per_cell)
    timeline_events = Positive(_DEFAULTS.timeline_events)

    def limits(self) -> Limits:
        return Limits(**{name: self[name] for name in self})


class AtlasOptions(base.Config):
    """What mkdocs.yml may say to the atlas plugin."""

    entries = c.Type(str, default="entries")
    downloads = c.Type(bool, default=True)
    editions = c.Optional(c.Type(str))
    page_limits = c.SubConfig(PageLimits)
