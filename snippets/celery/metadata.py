"""Project facts from the installed distribution: supported Python versions and licence.

Proves: Celery 5.7.0 declares Requires-Python >=3.10 with classifiers for CPython 3.10 to 3.14, and
is published under the BSD-3-Clause licence. Read with importlib.metadata; no broker needed.
"""

from importlib.metadata import distribution

# --8<-- [start:example]
meta = distribution("celery").metadata
version = meta["Version"]
requires_python = meta["Requires-Python"]
licence = meta["License"]
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
    assert version == "5.7.0", version
    assert requires_python == ">=3.10", requires_python
    assert pythons == ["3.10", "3.11", "3.12", "3.13", "3.14"], pythons
    assert licence == "BSD-3-Clause", licence
    print(
        f"OBSERVED: celery {version}: Requires-Python {requires_python}, classifiers "
        f"{', '.join(pythons)}; License {licence}"
    )
