"""The decision quiz: data/quiz.yaml -> validated questions -> JSON for the page's script + a static table.

The ranking itself lives in one place, docs/assets/quiz.js. Python only evaluates single predicates, which is
all the no-JavaScript decision table needs (per answer: which queues it rules out, which it adds points to).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema

from . import model as m
from .catalog import schema_message, validated_doc
from .evidence import EvidenceIndex
from .paths import Layout
from .yamlfile import DataError, DataErrors, YamlDoc

if TYPE_CHECKING:
    from .render import SiteData

QUIZ_FILE = "quiz.yaml"
# Built pages use directory URLs (mkdocs.yml: use_directory_urls), and the quiz lives at guide/quiz/.
QUEUE_URL = "../queues/{queue}/"
FEATURE_URL = "../features/{feature}/"


@dataclass(frozen=True)
class Predicate:
    """A test of one queue: its claim on `feature` is one of `values`, or it supports one of `brokers`."""

    feature: str | None = None
    values: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    weight: int = 0  # preferences only
    reason: str | None = None  # requirements only


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    require: tuple[Predicate, ...] = ()
    prefer: tuple[Predicate, ...] = ()

    @property
    def indifferent(self) -> bool:
        """A "doesn't matter" answer: it neither excludes nor favours any queue."""
        return not self.require and not self.prefer


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]
    help: str | None = None

    @property
    def default(self) -> Answer:
        """The preselected answer: the first "doesn't matter" one (validation guarantees there is one)."""
        return next(a for a in self.answers if a.indifferent)


@dataclass(frozen=True)
class Quiz:
    intro: str
    questions: tuple[Question, ...]


# --- loading -------------------------------------------------------------------------------------------


def load_quiz(layout: Layout, catalog: m.Catalog) -> Quiz | None:
    """Read data/quiz.yaml (None when there is none); raise DataErrors with file:line for every problem."""
    path = layout.data / QUIZ_FILE
    if not path.exists():
        return None
    errors: list[DataError] = []
    doc = validated_doc(layout, path, "quiz", errors, explain=_explain)
    if doc is None:
        raise DataErrors(errors)
    quiz = _build(doc.data)
    errors = cross_check(doc, catalog)
    if errors:
        raise DataErrors(errors)
    return quiz


def _explain(err: jsonschema.ValidationError) -> str:
    """Schema messages for data authors; the predicate's oneOf/not rules get a plain sentence."""
    if err.validator in ("oneOf", "not") or (err.validator == "required" and "reason" in err.message):
        return (
            "a predicate is either `feature` + `in` or `brokers`; requirements need `reason`, "
            "preferences need `weight` (and not the other)"
        )
    return schema_message(err)


def _predicate(raw: dict[str, Any]) -> Predicate:
    return Predicate(
        feature=raw.get("feature"),
        values=tuple(raw.get("in", ())),
        brokers=tuple(raw.get("brokers", ())),
        weight=int(raw.get("weight", 0)),
        reason=raw.get("reason"),
    )


def _build(raw: dict[str, Any]) -> Quiz:
    questions = tuple(
        Question(
            id=q["id"],
            text=q["text"],
            help=q.get("help"),
            answers=tuple(
                Answer(
                    id=a["id"],
                    label=a["label"],
                    require=tuple(_predicate(p) for p in a.get("require", ())),
                    prefer=tuple(_predicate(p) for p in a.get("prefer", ())),
                )
                for a in q["answers"]
            ),
        )
        for q in raw["questions"]
    )
    return Quiz(raw["intro"], questions)


def cross_check(doc: YamlDoc, catalog: m.Catalog) -> list[DataError]:
    """What the schema cannot see: unknown feature and broker ids, duplicate ids, no "doesn't matter" answer."""
    errors: list[DataError] = []
    features = {f.id for f in catalog.features}

    def err(where: tuple[str | int, ...], message: str) -> None:
        errors.append(doc.error(where, message))

    seen_questions: set[str] = set()
    for i, q in enumerate(doc.data["questions"]):
        if q["id"] in seen_questions:
            err(("questions", i, "id"), f"duplicate question id {q['id']!r}")
        seen_questions.add(q["id"])
        seen_answers: set[str] = set()
        for j, a in enumerate(q["answers"]):
            if a["id"] in seen_answers:
                err(("questions", i, "answers", j, "id"), f"duplicate answer id {a['id']!r}")
            seen_answers.add(a["id"])
            for kind in ("require", "prefer"):
                for k, p in enumerate(a.get(kind, ())):
                    here = ("questions", i, "answers", j, kind, k)
                    if "feature" in p and p["feature"] not in features:
                        err((*here, "feature"), f"unknown feature id {p['feature']!r}")
                    for b, broker in enumerate(p.get("brokers", ())):
                        if broker not in catalog.brokers:
                            err(
                                (*here, "brokers", b),
                                f"unknown broker {broker!r} (known: {', '.join(catalog.brokers)})",
                            )
        if not any(not a.get("require") and not a.get("prefer") for a in q["answers"]):
            err(("questions", i, "answers"), 'needs a "doesn\'t matter" answer (one with no require and no prefer)')
    return errors


# --- evaluation (single predicates only: the ranking is computed by quiz.js) -----------------------------


def claim_value(queue: m.Queue, feature: str) -> str:
    """The queue's value for a feature; a missing claim counts as unknown."""
    claim = queue.claims.get(feature)
    return claim.value if claim else "unknown"


def holds(predicate: Predicate, queue: m.Queue) -> bool:
    """Does the queue satisfy the predicate? (quiz.js `holds` implements the same rule for the ranking.)"""
    if predicate.feature is not None:
        return claim_value(queue, predicate.feature) in predicate.values
    return any(b in queue.brokers for b in predicate.brokers)


# --- what the page gets ----------------------------------------------------------------------------------


def _predicate_json(p: Predicate) -> dict[str, Any]:
    out: dict[str, Any] = {"feature": p.feature, "in": list(p.values)} if p.feature else {"brokers": list(p.brokers)}
    if p.reason is not None:
        out["reason"] = p.reason
    if p.weight:
        out["weight"] = p.weight
    return out


def features_used(quiz: Quiz) -> list[str]:
    """Feature ids the quiz's predicates test, in first-use order."""
    found: dict[str, None] = {}
    for q in quiz.questions:
        for a in q.answers:
            for p in (*a.require, *a.prefer):
                if p.feature:
                    found.setdefault(p.feature)
    return list(found)


def payload(quiz: Quiz, catalog: m.Catalog, evidence: EvidenceIndex) -> dict[str, Any]:
    """Everything quiz.js needs, so the script never names a queue, feature or broker itself."""
    used = features_used(quiz)

    def claim(queue: m.Queue, fid: str) -> dict[str, str]:
        found = queue.claims.get(fid)
        url = QUEUE_URL.format(queue=queue.id) + f"#{fid}"
        if found is None:
            return {"value": "unknown", "detail": "No claim yet.", "state": "none", "url": url}
        return {"value": found.value, "detail": found.detail, "state": evidence.for_claim(found).state, "url": url}

    return {
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "help": q.help,
                "default": q.default.id,
                "answers": [
                    {
                        "id": a.id,
                        "label": a.label,
                        "require": [_predicate_json(p) for p in a.require],
                        "prefer": [_predicate_json(p) for p in a.prefer],
                    }
                    for a in q.answers
                ],
            }
            for q in quiz.questions
        ],
        "features": {
            fid: {"label": catalog.feature(fid).label, "url": FEATURE_URL.format(feature=fid)} for fid in used
        },
        "brokers": {b.id: b.name for b in catalog.brokers.values()},
        "queues": [
            {
                "id": q.id,
                "name": q.name,
                "version": q.version,
                "url": QUEUE_URL.format(queue=q.id),
                "brokers": list(q.brokers),
                "brokersUrl": QUEUE_URL.format(queue=q.id) + ("#brokers" if "brokers" in q.claims else ""),
                "brokersState": evidence.for_claim(q.claims["brokers"]).state if "brokers" in q.claims else "none",
                "claims": {fid: claim(q, fid) for fid in used},
            }
            for q in catalog.queues
        ],
    }


def attribute_json(data: object) -> str:
    """JSON for a double-quoted HTML attribute, inert wherever it lands.

    Not a <script type="application/json"> element: Material's instant navigation re-creates every script in
    the page content without its attributes, which would turn the data into a script and lose its id.
    "<", ">" and "&" become JSON escapes (so no markup can appear even after unescaping), quotes become entities.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Exclusion:
    queue: m.Queue
    predicate: Predicate
    value: str  # the claim value that failed it ("" for broker predicates)


@dataclass(frozen=True)
class TableRow:
    """One answer in the no-JavaScript decision table."""

    answer: Answer
    excludes: tuple[Exclusion, ...]
    points: tuple[tuple[m.Queue, int], ...]  # queues the answer adds points to, with the points


def decision_table(quiz: Quiz, catalog: m.Catalog) -> list[tuple[Question, list[TableRow]]]:
    """Per question and answer: the queues it rules out (and by which requirement) and the points it adds."""
    out = []
    for q in quiz.questions:
        rows = []
        for a in q.answers:
            excludes = tuple(
                Exclusion(queue, p, claim_value(queue, p.feature) if p.feature else "")
                for queue in catalog.queues
                for p in a.require
                if not holds(p, queue)
            )
            points = tuple(
                (queue, total)
                for queue in catalog.queues
                if (total := sum(p.weight for p in a.prefer if holds(p, queue)))
            )
            rows.append(TableRow(a, excludes, points))
        out.append((q, rows))
    return out


def page_context(data: SiteData) -> dict[str, Any]:
    """What quiz.md.j2 sees besides the common context."""
    quiz = data.quiz
    assert quiz is not None
    return {
        "quiz": quiz,
        "quiz_json": attribute_json(payload(quiz, data.catalog, data.evidence)),
        "table": decision_table(quiz, data.catalog),
    }
