"""Every internal link and anchor of the built site resolves (the built HTML, not just the Markdown)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site: Path, url_path: str) -> Path:
    local = site / unquote(url_path).lstrip("/")
    return local / "index.html" if url_path.endswith("/") or local.is_dir() else local


def test_no_broken_internal_links_or_anchors(built_site):
    scans = {page: scan(page) for page in built_site.rglob("*.html")}
    broken = []
    for page, parsed in scans.items():
        base = "/" + str(page.relative_to(built_site)).replace("index.html", "")
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            resolved = urlsplit(urljoin(base, href))
            target = target_file(built_site, resolved.path)
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)}: {href} (no {target.relative_to(built_site)})")
                continue
            if resolved.fragment and target.suffix == ".html":
                ids = scans[target].ids if target in scans else scan(target).ids
                if unquote(resolved.fragment) not in ids:
                    broken.append(f"{page.relative_to(built_site)}: {href} (no #{resolved.fragment})")
    assert broken == [], "\n".join(broken[:40])
