"""The catalog: schema errors with file:line: field, cross-file checks, computed claims, the real data."""

import re

import pytest

from whichqueue.catalog import load_catalog
from whichqueue.yamlfile import DataErrors


def edit(layout, rel, old, new):
    path = layout.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors_of(layout):
    with pytest.raises(DataErrors) as exc:
        load_catalog(layout)
    return [str(e) for e in exc.value.errors]


def line_of(layout, rel, needle):
    lines = (layout.root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


Q = "data/queues/alpha.yaml"


def test_mini_catalog_loads(mini):
    catalog = load_catalog(mini)
    (alpha,) = catalog.queues
    assert alpha.claims["retries"].value == "yes"
    assert alpha.claims["retries"].evidence.snippets == ("ok", "keys")
    assert [f.id for f in catalog.features] == ["retries", "windows", "release_activity"]


def test_bad_value_names_file_line_and_field(mini):
    edit(mini, Q, "value: yes", "value: maybe")
    line = line_of(mini, Q, "value: maybe")
    assert errors_of(mini) == [
        f"{Q}:{line}: claims.retries.value: 'maybe' is not one of yes, partial, no, addon, unknown"
    ]


def test_unknown_feature_id(mini):
    edit(mini, Q, "  windows:\n", "  windws:\n")
    line = line_of(mini, Q, "windws:")
    assert errors_of(mini) == [f"{Q}:{line}: claims.windws: unknown feature id 'windws'"]


def test_unknown_snippet_id(mini):
    edit(mini, Q, "snippets: [ok, keys]", "snippets: [ok, nope]")
    (error,) = errors_of(mini)
    assert re.fullmatch(rf"{Q}:\d+: claims\.retries\.evidence\.snippets\[1\]: unknown snippet id 'nope'", error)


def test_duplicate_feature_id(mini):
    edit(mini, "data/features.yaml", "  - id: windows", "  - id: retries")
    errors = errors_of(mini)
    assert any("features[1].id: duplicate feature id 'retries'" in e for e in errors), errors


def test_duplicate_queue_id_across_files(mini):
    text = (mini.root / Q).read_text(encoding="utf-8")
    (mini.root / "data/queues/beta.yaml").write_text(text, encoding="utf-8")
    errors = errors_of(mini)
    assert any("data/queues/beta.yaml" in e and "must match the file name" in e for e in errors), errors
    assert any("duplicate queue id 'alpha'" in e for e in errors), errors


def test_partial_needs_a_note(mini):
    edit(mini, Q, "    note: Only with the thread pool.\n", "")
    (error,) = errors_of(mini)
    assert error.startswith(f"{Q}:") and "claims.windows: 'note' is required" in error


def test_claim_without_snippets_needs_sources_and_reason(mini):
    edit(mini, Q, "      not_executed: Windows cannot run on Linux CI.\n", "")
    (error,) = errors_of(mini)
    assert "claims.windows.evidence: needs snippets, or sources plus not_executed" in error


def test_unknown_field_is_reported(mini):
    edit(mini, Q, "    api: [", "    apis: [")
    (error,) = errors_of(mini)
    assert "claims.retries: unknown field ('apis' was unexpected)" in error


def test_missing_snippet_file(mini):
    (mini.root / "snippets/alpha/ok.py").unlink()
    (error,) = errors_of(mini)
    assert "snippets.ok: no file snippets/alpha/ok.py" in error


def test_every_error_is_reported_at_once(mini):
    edit(mini, Q, "value: yes", "value: maybe")
    edit(mini, "data/features.yaml", "    label: Windows workers\n", "")
    errors = errors_of(mini)
    assert len(errors) == 2, errors
    assert any(e.startswith("data/features.yaml:") and "'label' is required" in e for e in errors)
    assert any(e.startswith(f"{Q}:") and "'maybe'" in e for e in errors)


def test_release_activity_is_computed_from_the_registry_cache(mini):
    claim = load_catalog(mini).queue("alpha").claims["release_activity"]
    assert claim.value == "yes"  # 2026-06-30 is within 12 months of the cache date 2026-11-01
    assert "1.1.0 on 2026-06-30" in claim.detail


def test_release_activity_ages(mini):
    path = mini.root / "data/registry/alpha-queue.json"
    path.write_text(path.read_text().replace("2026-06-30", "2024-06-30"), encoding="utf-8")
    assert load_catalog(mini).queue("alpha").claims["release_activity"].value == "no"


def test_real_data_loads_and_covers_every_feature(repo):
    catalog = load_catalog(repo)
    assert catalog.queues, "no queues in data/queues"
    for queue in catalog.queues:
        missing = [f.id for f in catalog.features if f.id not in queue.claims]
        assert not missing, f"{queue.id} has no claim for {missing}"
