"""Project metadata of the installed Huey release: supported Python versions and licence, read from the
distribution's own metadata and licence file (what pip installed), not from a web page.

Proves: python_versions (no Requires-Python at all; only the generic "Python :: 3" classifier) and
license (the MIT text in the LICENSE file shipped in the wheel; the metadata has no License field).
"""

from __future__ import annotations

import sys
from importlib.metadata import distribution

# --8<-- [start:example]
dist = distribution("huey")
meta = dist.metadata
requires_python = meta["Requires-Python"]  # None: pip will install it on any Python
pythons = [c for c in meta.get_all("Classifier") if c.startswith("Programming Language :: Python")]
licence_files = meta.get_all("License-File")
licence_text = dist.read_text(f"licenses/{licence_files[0]}")
# --8<-- [end:example]

if __name__ == "__main__":
    assert dist.version == "3.5.4", dist.version
    assert requires_python is None, requires_python
    assert pythons == ["Programming Language :: Python :: 3"], pythons
    assert meta["License"] is None and meta["License-Expression"] is None, (meta["License"], meta["License-Expression"])
    assert licence_files == ["LICENSE"], licence_files
    assert licence_text is not None and licence_text.startswith("Copyright (c) 2017 Charles Leifer")
    # the MIT licence's grant and warranty clauses
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in licence_text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in licence_text
    print(
        f"OBSERVED: huey {dist.version}: no Requires-Python, classifiers {pythons[0].rsplit(' :: ', 1)[1]} only; "
        f"LICENSE is the MIT text (Copyright (c) 2017 Charles Leifer); runs here on Python "
        f"{sys.version_info.major}.{sys.version_info.minor}"
    )
