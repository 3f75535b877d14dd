"""Python versions and licence, read from the installed taskiq distribution's metadata."""

from __future__ import annotations

from importlib.metadata import metadata

# --8<-- [start:example]
meta = metadata("taskiq")
requires = meta["Requires-Python"]
licence = meta["License-Expression"]
versions = sorted(
    c.rsplit(" ", 1)[-1]
    for c in meta.get_all("Classifier") or []
    if c.startswith("Programming Language :: Python :: 3.")
)
# --8<-- [end:example]

if __name__ == "__main__":
    assert meta["Version"] == "0.13.0", meta["Version"]
    assert requires == "<4,>=3.10", requires
    assert licence == "MIT", licence
    assert versions == ["3.10", "3.11", "3.12", "3.13", "3.14"], versions
    print(
        f"OBSERVED: taskiq {meta['Version']}: Requires-Python {requires}, classifiers {', '.join(versions)}; "
        f"License-Expression {licence}"
    )
