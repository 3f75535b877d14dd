"""Hostile and broken input: random YAML never crashes the loader, and injected HTML / Markdown in any text
field ends up as text on the page (checked on the HTML that Python-Markdown makes with the site's extensions)."""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import MINI, make_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from whichqueue.catalog import load_catalog
from whichqueue.paths import Layout
from whichqueue.site import pages
from whichqueue.yamlfile import DataErrors, load

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
QUEUE = "data/queues/alpha.yaml"

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Layout:
    return make_layout(tmp_path_factory.mktemp("hostile"))


def fresh(base: Layout) -> Layout:
    shutil.copy(MINI / QUEUE, base.root / QUEUE)
    return base


@SETTINGS
@given(doc=json_like)
def test_random_yaml_structures_give_errors_not_crashes(base, doc):
    layout = fresh(base)
    (layout.root / QUEUE).write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(DataErrors):
        load_catalog(layout)  # no random structure is a valid queue: a clear error, never a crash


@SETTINGS
@given(text=st.text(max_size=200))
def test_random_text_gives_errors_not_crashes(base, text):
    layout = fresh(base)
    (layout.root / QUEUE).write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as exc:
        load_catalog(layout)
    assert all(str(e).startswith(QUEUE) for e in exc.value.errors)


@SETTINGS
@given(field=st.sampled_from(["version", "claims", "snippets", "links", "requirements"]), value=json_like)
def test_a_wrong_field_is_named(base, field, value):
    layout = fresh(base)
    data = load(layout.root / QUEUE).data  # YAML 1.2 booleans: `value: yes` stays 'yes'
    data[field] = value
    (layout.root / QUEUE).write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        load_catalog(layout)
    except DataErrors as exc:
        assert all(re.match(rf"{QUEUE}:\d+: ", str(e)) for e in exc.errors), exc


# --- injection -------------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<x-evil>hi</x-evil>",
    '**bold** _em_ `code` | pipe | {: .cls } --8<-- "/etc/passwd"',
    '"><svg onload=alert(1)>',
    "line one\n\n# heading\n\n<div>block</div>",
    "Ünïcödé ✓ 𝔘 \u202e rtl \u0000 nul",
]
TEXT_FIELDS = [
    ("name",),
    ("summary",),
    ("choose_when", 0),
    ("strengths", 0, "text"),
    ("claims", "retries", "detail"),
    ("claims", "retries", "api", 0),
    ("claims", "windows", "note"),
    ("claims", "windows", "evidence", "sources", 0, "title"),
    ("claims", "windows", "evidence", "not_executed"),
    ("snippets", "ok", "title"),
]


@functools.cache
def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's extensions (built once: loading the config is slow)."""
    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def set_path(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@SETTINGS
@given(field=st.sampled_from(TEXT_FIELDS), payload=st.sampled_from(PAYLOADS), extra=st.text(max_size=30))
def test_injected_text_is_inert_on_every_page(base, field, payload, extra):
    layout = fresh(base)
    data = load(layout.root / QUEUE).data  # YAML 1.2 booleans: `value: yes` stays 'yes'
    set_path(data, field, payload + extra)
    (layout.root / QUEUE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        built = pages(layout)
    except DataErrors:
        return  # e.g. a NUL byte: refused with a clear error is fine
    cwd = Path.cwd()
    os.chdir(layout.root)  # snippet includes resolve against the checkout
    try:
        for page in built:
            html = site_markdown().reset().convert(page.text.split("\n---\n", 1)[-1])
            assert "<script>alert" not in html and "<x-evil" not in html and "<img src=x" not in html, page.path
            assert "<svg onload" not in html and 'href="javascript:' not in html, page.path
            assert "root:x:" not in html, page.path  # no file included from data text
    finally:
        os.chdir(cwd)
