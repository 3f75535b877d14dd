"""Supported Python versions and licence, from the installed distribution's own metadata.

Proves: dramatiq 2.2.1 declares ``Requires-Python: >=3.10`` with classifiers for CPython 3.10-3.14,
and is licensed LGPL v3 or later (classifier and the COPYING.LESSER file shipped in the wheel).
"""

from __future__ import annotations

from importlib.metadata import distribution

# --8<-- [start:example]
dist = distribution("dramatiq")
meta = dist.metadata
requires_python = meta["Requires-Python"]
versions = sorted(
    (
        c.rsplit(" :: ", 1)[1]
        for c in meta.get_all("Classifier")
        if c.startswith("Programming Language :: Python :: 3.")
    ),
    key=lambda v: tuple(map(int, v.split("."))),
)
licence = [c for c in meta.get_all("Classifier") if c.startswith("License ::")]
licence_files = meta.get_all("License-File")
# --8<-- [end:example]

if __name__ == "__main__":
    assert dist.version == "2.2.1", dist.version
    assert requires_python == ">=3.10", requires_python
    assert versions == ["3.10", "3.11", "3.12", "3.13", "3.14"], versions
    assert licence == ["License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)"], licence
    assert sorted(licence_files) == ["COPYING", "COPYING.LESSER"], licence_files
    print(
        f"OBSERVED: dramatiq {dist.version}: Requires-Python {requires_python}, classifiers for Python "
        f"{', '.join(versions)}; licence {licence[0].split(' :: ')[-1]} (files {', '.join(licence_files)})"
    )
