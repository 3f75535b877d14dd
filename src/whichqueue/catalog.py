"""Load data/ into a Catalog: schema validation, then cross-file checks, every error with file:line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from . import model as m
from .paths import Layout
from .yamlfile import DataError, DataErrors, YamlDoc, load


def load_catalog(layout: Layout) -> m.Catalog:
    """Read and validate every data file; raise DataErrors listing all problems found."""
    errors: list[DataError] = []
    features_doc = validated_doc(layout, layout.data / "features.yaml", "features", errors)
    brokers_doc = validated_doc(layout, layout.data / "brokers.yaml", "brokers", errors)
    queue_docs = [
        doc
        for path in sorted((layout.data / "queues").glob("*.yaml"))
        if (doc := validated_doc(layout, path, "queue", errors)) is not None
    ]
    if errors or features_doc is None or brokers_doc is None:
        raise DataErrors(errors)

    groups, features = _features(features_doc, errors)
    brokers = _brokers(brokers_doc, errors)
    registry = _registry(layout, errors)
    queues = [_queue(layout, doc, features, brokers, registry, errors) for doc in queue_docs]
    _check_unique((q.id for q in queues), "queue id", [d.label for d in queue_docs], errors)
    if errors:
        raise DataErrors(errors)
    return m.Catalog(tuple(groups), tuple(features), brokers, tuple(queues), registry)


def _rel(layout: Layout, path: Path) -> str:
    try:
        return str(path.relative_to(layout.root))
    except ValueError:
        return str(path)


def _schema(layout: Layout, name: str) -> dict[str, Any]:
    return json.loads((layout.schemas / f"{name}.schema.json").read_text(encoding="utf-8"))


def validated_doc(
    layout: Layout,
    path: Path,
    schema: str,
    errors: list[DataError],
    explain: Callable[[jsonschema.ValidationError], str] | None = None,
) -> YamlDoc | None:
    """Parse and schema-check one file; append its problems and return None when it is unusable."""
    try:
        doc = load(path, _rel(layout, path))
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None
    validator = jsonschema.Draft202012Validator(_schema(layout, schema))
    found = [
        doc.error(tuple(err.absolute_path), (explain or schema_message)(err)) for err in validator.iter_errors(doc.data)
    ]
    errors.extend(found)
    return None if found else doc


def schema_message(err: jsonschema.ValidationError) -> str:
    """jsonschema messages, made shorter where they are clumsy for data authors."""
    if err.validator == "enum":
        return f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}"
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field")
    if err.validator == "required" and err.instance is not None:
        return err.message.replace("is a required property", "is required")
    return err.message


def _check_unique(ids: Iterable[str], what: str, where: list[str], errors: list[DataError]) -> None:
    seen: dict[str, str] = {}
    for item, label in zip(ids, where, strict=True):
        if item in seen:
            errors.append(DataError(label, 1, "id", f"duplicate {what} {item!r} (also in {seen[item]})"))
        seen.setdefault(item, label)


def _features(doc: YamlDoc, errors: list[DataError]) -> tuple[list[m.Group], list[m.Feature]]:
    groups = [m.Group(g["id"], g["label"]) for g in doc.data["groups"]]
    group_ids = {g.id for g in groups}
    features: list[m.Feature] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc.data["features"]):
        if raw["id"] in seen:
            errors.append(doc.error(("features", i, "id"), f"duplicate feature id {raw['id']!r}"))
        if raw["group"] not in group_ids:
            errors.append(doc.error(("features", i, "group"), f"unknown group {raw['group']!r}"))
        seen.add(raw["id"])
        features.append(m.Feature(**raw))
    return groups, features


def _brokers(doc: YamlDoc, errors: list[DataError]) -> dict[str, m.Broker]:
    brokers: dict[str, m.Broker] = {}
    for i, raw in enumerate(doc.data["brokers"]):
        if raw["id"] in brokers:
            errors.append(doc.error(("brokers", i, "id"), f"duplicate broker id {raw['id']!r}"))
        brokers[raw["id"]] = m.Broker(**raw)
    return brokers


def _registry(layout: Layout, errors: list[DataError]) -> dict[str, m.RegistryInfo]:
    out: dict[str, m.RegistryInfo] = {}
    for path in sorted((layout.data / "registry").glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            out[raw["pypi"]] = m.RegistryInfo(
                pypi=raw["pypi"],
                fetched=raw["fetched"],
                releases=tuple(m.Release(r["version"], r["date"]) for r in raw["releases"]),
                requires_python=raw.get("requires_python"),
                license=raw.get("license"),
            )
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(DataError(_rel(layout, path), 0, "", f"unreadable registry cache: {exc!r}"))
    return out


def _queue(
    layout: Layout,
    doc: YamlDoc,
    features: list[m.Feature],
    brokers: dict[str, m.Broker],
    registry: dict[str, m.RegistryInfo],
    errors: list[DataError],
) -> m.Queue:
    raw = doc.data
    feature_ids = {f.id for f in features}

    def err(field: tuple[str | int, ...], message: str) -> None:
        errors.append(doc.error(field, message))

    if doc.path.stem != raw["id"]:
        err(("id",), f"must match the file name ({doc.path.stem!r})")
    for i, broker in enumerate(raw["brokers"]):
        if broker not in brokers:
            err(("brokers", i), f"unknown broker {broker!r} (known: {', '.join(brokers)})")

    snippets: dict[str, m.Snippet] = {}
    for name, spec in (raw.get("snippets") or {}).items():
        snippet = m.Snippet(
            queue=raw["id"],
            name=name,
            title=spec["title"],
            brokers=tuple(spec["brokers"]),
            timeout=float(spec.get("timeout", 30)),
            section=spec.get("section", "example"),
        )
        if not (layout.root / snippet.path).is_file():
            err(("snippets", name), f"no file {snippet.path}")
        for i, broker in enumerate(snippet.brokers):
            if broker != "none" and broker not in raw["brokers"]:
                err(("snippets", name, "brokers", i), f"broker {broker!r} is not in this queue's brokers")
        snippets[name] = snippet

    claims: dict[str, m.Claim] = {}
    for fid, spec in raw["claims"].items():
        here = ("claims", fid)
        if fid not in feature_ids:
            err(here, f"unknown feature id {fid!r}")
            continue
        if next(f for f in features if f.id == fid).computed:
            err(here, "this feature is computed from the registry; remove the claim")
            continue
        ev = spec["evidence"]
        for i, sid in enumerate(ev.get("snippets", [])):
            if sid not in snippets:
                err((*here, "evidence", "snippets", i), f"unknown snippet id {sid!r}")
        if not ev.get("snippets") and not (ev.get("sources") and ev.get("not_executed")):
            err((*here, "evidence"), "needs snippets, or sources plus not_executed saying why it cannot run")
        for broker in spec.get("brokers", {}):
            if broker not in raw["brokers"]:
                err((*here, "brokers", broker), f"broker {broker!r} is not in this queue's brokers")
        claims[fid] = m.Claim(
            queue=raw["id"],
            feature=fid,
            value=spec["value"],
            detail=spec["detail"],
            evidence=m.Evidence(
                snippets=tuple(ev.get("snippets", [])),
                sources=tuple(m.Source(s["url"], s["title"]) for s in ev.get("sources", [])),
                not_executed=ev.get("not_executed"),
            ),
            note=spec.get("note"),
            api=tuple(spec.get("api", [])),
            since=spec.get("since"),
            brokers=dict(spec.get("brokers", {})),
        )

    def points(key: str) -> tuple[m.Point, ...]:
        out = []
        for i, p in enumerate(raw.get(key) or []):
            for j, fid in enumerate(p["features"]):
                if fid not in feature_ids:
                    err((key, i, "features", j), f"unknown feature id {fid!r}")
            out.append(m.Point(p["text"], tuple(p["features"])))
        return tuple(out)

    strengths, weaknesses = points("strengths"), points("weaknesses")
    for feature in features:
        if feature.computed == "release_activity" and (info := registry.get(raw["pypi"])):
            claims[feature.id] = release_activity_claim(raw["id"], feature.id, info)
    return m.Queue(
        id=raw["id"],
        name=raw["name"],
        pypi=raw["pypi"],
        version=raw["version"],
        requirements=tuple(raw["requirements"]),
        brokers=tuple(raw["brokers"]),
        links=dict(raw["links"]),
        summary=raw["summary"],
        strengths=strengths,
        weaknesses=weaknesses,
        choose_when=tuple(raw.get("choose_when") or ()),
        snippets=snippets,
        claims=claims,
    )


def release_activity_claim(queue: str, feature: str, info: m.RegistryInfo) -> m.Claim:
    """Derive 'is it actively released?' from the registry's release dates, as of the cache's date."""
    today = date.fromisoformat(info.fetched)
    ages = sorted((today - date.fromisoformat(r.date)).days for r in info.releases)
    latest = info.latest
    recent = sum(1 for age in ages if age <= 365)
    age = ages[0] if ages else None
    value = "unknown" if age is None else "yes" if age <= 365 else "partial" if age <= 730 else "no"
    detail = (
        f"Latest release {latest.version} on {latest.date}; {recent} release(s) in the 12 months before {info.fetched}."
        if latest
        else "No releases found in the registry."
    )
    return m.Claim(
        queue=queue,
        feature=feature,
        value=value,
        detail=detail,
        evidence=m.Evidence(
            sources=(
                m.Source(f"https://pypi.org/project/{info.pypi}/#history", f"{info.pypi} release history on PyPI"),
            ),
            not_executed=f"Derived from the registry's release history (data/registry/{info.pypi}.json, "
            f"fetched {info.fetched}).",
        ),
    )
