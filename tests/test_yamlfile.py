"""Loading YAML: line numbers, duplicate keys, YAML 1.2 booleans, syntax errors."""

from pathlib import Path

import pytest

from whichqueue.yamlfile import DataErrors, field_name, load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_are_recorded_for_nested_fields(tmp_path):
    doc = load(write(tmp_path, "a: 1\nclaims:\n  retries:\n    value: yes\n"))
    assert doc.line_of(("claims", "retries", "value")) == 4
    assert doc.line_of(("claims", "retries", "missing")) == 3  # falls back to the parent


def test_yes_and_no_stay_text(tmp_path):
    doc = load(write(tmp_path, "a: yes\nb: no\nc: true\nd: off\n"))
    assert doc.data == {"a": "yes", "b": "no", "c": True, "d": "off"}


def test_duplicate_key_is_an_error_with_its_line(tmp_path):
    with pytest.raises(DataErrors) as exc:
        load(write(tmp_path, "claims:\n  retries: 1\n  retries: 2\n"), "data/q.yaml")
    assert str(exc.value) == "data/q.yaml:3: claims.retries: duplicate key"


def test_syntax_error_names_the_line(tmp_path):
    with pytest.raises(DataErrors) as exc:
        load(write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n"), "data/q.yaml")
    (error,) = exc.value.errors
    assert error.file == "data/q.yaml" and error.line >= 2 and "invalid YAML" in error.message


def test_field_name_formats_list_items():
    assert field_name(("features", 3, "label")) == "features[3].label"
