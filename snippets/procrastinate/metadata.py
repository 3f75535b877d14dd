"""Supported Python versions and licence, from the installed distribution's own metadata.

Proves: procrastinate 3.10.0 declares ``Requires-Python: >=3.10`` (it lists no per-version
classifiers) and is MIT-licensed (classifier and the LICENSE.md shipped in the wheel).
"""

from __future__ import annotations

from importlib.metadata import distribution

# --8<-- [start:example]
dist = distribution("procrastinate")
meta = dist.metadata
requires_python = meta["Requires-Python"]
licence = [c for c in meta.get_all("Classifier") if c.startswith("License ::")]
licence_files = meta.get_all("License-File")
licence_text = next(f for f in dist.files if f.name == "LICENSE.md").read_text().splitlines()[0]
# --8<-- [end:example]

if __name__ == "__main__":
    assert dist.version == "3.10.0", dist.version
    assert requires_python == ">=3.10", requires_python
    assert not [c for c in meta.get_all("Classifier") if c.startswith("Programming Language :: Python :: 3.")]
    assert licence == ["License :: OSI Approved :: MIT License"], licence
    assert licence_files == ["LICENSE.md"], licence_files
    assert licence_text == "MIT License", licence_text
    print(
        f"OBSERVED: procrastinate {dist.version}: Requires-Python {requires_python} (no per-version "
        f"classifiers); licence {licence[0].split(' :: ')[-1]}, LICENSE.md starts {licence_text!r}"
    )
