"""Project metadata of the installed arq release: supported Python versions, licence and maintenance status, read
from the distribution's own metadata (what pip sees), not from a web page.

Proves: python_versions (Requires-Python >=3.9, classifiers 3.9-3.14), license (MIT), and that the PyPI
description of 0.28.0 says the project is in maintenance-only mode; windows (context): the only OS classifiers
are POSIX/Linux and Unix.
"""

from __future__ import annotations

from importlib.metadata import metadata, version

# --8<-- [start:example]
meta = metadata("arq")
requires_python = meta["Requires-Python"]
licence = meta["License"]
classifiers = meta.get_all("Classifier")
pythons = sorted(
    (c.rsplit(" :: ", 1)[1] for c in classifiers if c.startswith("Programming Language :: Python :: 3.")),
    key=lambda v: tuple(map(int, v.split("."))),
)
systems = [c for c in classifiers if c.startswith("Operating System ::")]
# --8<-- [end:example]

if __name__ == "__main__":
    assert version("arq") == "0.28.0", version("arq")
    assert requires_python == ">=3.9", requires_python
    assert licence == "MIT" and "License :: OSI Approved :: MIT License" in classifiers, licence
    assert pythons == ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"], pythons
    assert systems == ["Operating System :: POSIX :: Linux", "Operating System :: Unix"], systems
    assert "In maintenance only mode" in meta.get_payload(), "maintenance note missing from the description"
    print(
        f"OBSERVED: arq {version('arq')}: Requires-Python {requires_python}; classifiers {pythons[0]}-{pythons[-1]}; "
        f"License {licence}; OS classifiers {', '.join(s.split(' :: ', 1)[1] for s in systems)}; "
        f"description says 'In maintenance only mode'"
    )
