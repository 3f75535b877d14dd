"""Lint check: every release a claim's `since` names exists in the registry's release history."""

from whichqueue.catalog import load_catalog
from whichqueue.lint import check_since, release_lines


def test_release_lines_skip_python_versions():
    assert release_lines("4.0 (autoretry_for), 4.2 (retry_backoff)") == ["4.0", "4.2"]
    assert release_lines("5.7 dropped Python 3.9 (5.6 required >=3.9)") == ["5.7", "5.6"]
    assert release_lines("2.0 (3.9 dropped, 3.14 added)") == ["2.0"]
    assert release_lines("3.9 (task and worker middleware)") == ["3.9"]  # a library's own 3.9


def since(layout, text):
    path = layout.root / "data/queues/alpha.yaml"
    path.write_text(
        path.read_text().replace('    api: ["retry(max=3)"]', f'    api: ["retry(max=3)"]\n    since: "{text}"')
    )
    catalog = load_catalog(layout)
    return [f.message for f in check_since(layout, catalog, None)]


def test_known_release_passes(mini):
    assert since(mini, "1.1 (retry)") == []  # the fixture registry has 1.0.0 and 1.1.0


def test_unknown_release_is_reported(mini):
    assert since(mini, "1.1, options since 2.3") == ["claims.retries.since: alpha-queue has no release 2.3"]


def test_missing_registry_cache_is_reported(mini):
    (mini.data / "registry/alpha-queue.json").unlink()
    catalog = load_catalog(mini)
    assert [f.message for f in check_since(mini, catalog, None)] == [
        "no registry cache: run `whichqueue registry alpha-queue`"
    ]
