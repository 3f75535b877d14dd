"""Load YAML while remembering the line of every key, so errors can say file:line: field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class DataError:
    """One problem in a data file, located precisely enough to fix it without searching."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DataErrors(Exception):
    """Raised with every problem found, not just the first."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file, e.line, e.field))
        super().__init__("\n".join(str(e) for e in self.errors))


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: `value: yes` must stay the string 'yes', not True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document plus the line of each field path."""

    path: Path
    label: str
    data: Any
    lines: dict[FieldPath, int]

    def line_of(self, field: FieldPath) -> int:
        """Line of the deepest known part of `field` (the parent when the field itself is missing)."""
        for cut in range(len(field), -1, -1):
            if (line := self.lines.get(tuple(field[:cut]))) is not None:
                return line
        return 1

    def error(self, field: FieldPath, message: str) -> DataError:
        """A problem with `field` of this document, located at its line (or its nearest parent's)."""
        return DataError(self.label, self.line_of(field), field_name(field), message)


def field_name(field: FieldPath) -> str:
    """`('claims', 'retries', 'value')` -> `claims.retries.value`; list items as `[2]`."""
    out = ""
    for part in field:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path, label: str | None = None) -> YamlDoc:
    """Parse one file; syntax errors and duplicate keys become DataErrors with their line."""
    label = label or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataErrors([DataError(label, 0, "", f"cannot read: {exc}")]) from exc
    lines: dict[FieldPath, int] = {(): 1}
    errors: list[DataError] = []
    loader = None
    try:
        loader = _Loader(text)  # the reader already refuses control characters here
        node = loader.get_single_node()
        data = _build(loader, node, (), lines, errors, label) if node is not None else None
    except yaml.YAMLError as exc:
        raise DataErrors([DataError(label, _error_line(exc, text), "", f"invalid YAML: {_problem(exc)}")]) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if errors:
        raise DataErrors(errors)
    return YamlDoc(path, label, data, lines)


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    if (mark := getattr(exc, "problem_mark", None)) is not None:
        return int(mark.line) + 1
    if isinstance(exc, yaml.reader.ReaderError):
        return text[: exc.position].count("\n") + 1
    return 0


def _problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        return f"character {exc.character!r} is not allowed"
    return str(getattr(exc, "problem", None) or exc)


def _build(
    loader: _Loader,
    node: yaml.Node,
    here: FieldPath,
    lines: dict[FieldPath, int],
    errors: list[DataError],
    label: str,
) -> Any:
    lines.setdefault(here, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                errors.append(DataError(label, key_node.start_mark.line + 1, field_name(here), "keys must be text"))
                continue
            child = (*here, key)
            if key in out:
                errors.append(DataError(label, key_node.start_mark.line + 1, field_name(child), "duplicate key"))
            lines[child] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, child, lines, errors, label)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*here, i), lines, errors, label) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    # Dates and times become text: data is compared and rendered as written.
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
