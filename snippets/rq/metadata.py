"""Project metadata of the installed RQ release: supported Python versions and licence, read from the
distribution's own metadata (what pip sees), not from a web page.

Proves: python_versions (Requires-Python >=3.10, classifiers 3.10-3.15) and license (BSD-2-Clause).
"""

from __future__ import annotations

from importlib.metadata import metadata, version

# --8<-- [start:example]
meta = metadata("rq")
requires_python = meta["Requires-Python"]
licence = meta["License-Expression"]
pythons = sorted(
    (
        c.rsplit(" :: ", 1)[1]
        for c in meta.get_all("Classifier")
        if c.startswith("Programming Language :: Python :: 3.")
    ),
    key=lambda v: tuple(map(int, v.split("."))),
)
# --8<-- [end:example]

if __name__ == "__main__":
    assert version("rq") == "3.0.0", version("rq")
    assert requires_python == ">=3.10", requires_python
    assert licence == "BSD-2-Clause", licence
    assert "License :: OSI Approved :: BSD License" in meta.get_all("Classifier")
    assert pythons == ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"], pythons
    print(
        f"OBSERVED: rq {version('rq')}: Requires-Python {requires_python}; classifiers "
        f"{pythons[0]}-{pythons[-1]}; License-Expression {licence}"
    )
