"""MkDocs hook for `mkdocs serve`: re-render docs/ when data/, snippets/ or results/ change.

A thin shim on purpose: MkDocs caches hook modules, and other builders (Zensical) ignore hooks, so the
real work lives in `whichqueue.render` and the pages are plain files on disk either way.
"""

from __future__ import annotations

from typing import Any


def on_pre_build(config: Any) -> None:
    from whichqueue import render
    from whichqueue.paths import default_layout
    from whichqueue.site import pages

    layout = default_layout()
    render.write(pages(layout), layout.docs)
