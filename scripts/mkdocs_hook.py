"""MkDocs hook: re-render docs/ when data/, snippets/ or results/ change, and order the navigation.

A thin shim on purpose: MkDocs caches hook modules, and other builders (Zensical) ignore hooks, so the
real work lives in the whichqueue package and the pages are plain files on disk either way. Without the
hook the site is the same, with the navigation in alphabetical order.
"""

from __future__ import annotations

from typing import Any


def on_pre_build(config: Any) -> None:
    from whichqueue import render
    from whichqueue.paths import default_layout
    from whichqueue.site import pages

    layout = default_layout()
    render.write(pages(layout), layout.docs)


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    from whichqueue.catalog import load_catalog
    from whichqueue.paths import default_layout
    from whichqueue.render import nav_rank

    ranks = nav_rank(load_catalog(default_layout()))
    last = (len(ranks) + 1, 0)

    def key(item: Any) -> tuple[int, int]:
        if item.is_page:
            return ranks.get(item.file.src_uri, last)
        return min((key(child) for child in item.children or ()), default=last)

    def order(items: list[Any]) -> list[Any]:
        items.sort(key=key)
        return [page for item in items for page in ([item] if item.is_page else order(item.children or []))]

    nav.pages = [page for page in order(nav.items) if page.is_page]
    for before, after in zip(nav.pages, nav.pages[1:], strict=False):  # previous/next follow the new order
        before.next_page, after.previous_page = after, before
    if nav.pages:
        nav.pages[0].previous_page = nav.pages[-1].next_page = None
    return nav
