"""Refresh data/registry/<pypi>.json from PyPI's JSON API: release dates, Requires-Python, licence.

Computed claims (release activity) and the `since` lint read this committed cache, so builds stay offline.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PYPI_JSON = "https://pypi.org/pypi/{name}/json"


def summarize(payload: dict[str, Any], fetched: str) -> dict[str, Any]:
    """Keep the facts we use from a PyPI JSON document (pure; tested without the network)."""
    info = payload["info"]
    releases = []
    for version, files in payload["releases"].items():
        uploads = [f["upload_time_iso_8601"][:10] for f in files if not f.get("yanked")]
        if uploads:
            releases.append({"version": version, "date": min(uploads)})
    releases.sort(key=lambda r: (r["date"], r["version"]))
    return {
        "pypi": info["name"].lower(),
        "fetched": fetched,
        "requires_python": info.get("requires_python") or None,
        "license": info.get("license_expression") or (info.get("license") or "").strip() or None,
        "releases": releases,
    }


def refresh(names: list[str], out_dir: Path, timeout: float = 20.0) -> list[Path]:
    """Fetch each package's registry record and write it as stable, diff-friendly JSON."""
    out_dir.mkdir(parents=True, exist_ok=True)
    today = datetime.now(UTC).date().isoformat()
    written = []
    for name in names:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=timeout) as response:
            payload = json.load(response)
        path = out_dir / f"{name.lower()}.json"
        path.write_text(json.dumps(summarize(payload, today), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
