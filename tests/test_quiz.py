"""The decision quiz's data side: validation with file:line, predicates, the emitted JSON, the static table."""

from __future__ import annotations

import html
import json
import re

import pytest

from whichqueue import model as m
from whichqueue.catalog import load_catalog
from whichqueue.quiz import Predicate, attribute_json, decision_table, holds, load_quiz, payload
from whichqueue.site import pages, site_data
from whichqueue.yamlfile import DataErrors

EMBEDDED = re.compile(r'<div id="wq-quiz" [^>]*data-quiz="([^"]*)"')


def quiz_path(layout):
    return layout.data / "quiz.yaml"


def edit(layout, old: str, new: str) -> int:
    """Replace text in the mini quiz; return the 1-based line of the replacement."""
    path = quiz_path(layout)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def errors_of(layout) -> list[str]:
    catalog = load_catalog(layout)
    with pytest.raises(DataErrors) as exc:
        load_quiz(layout, catalog)
    return [str(e) for e in exc.value.errors]


def embedded(page_text: str) -> dict:
    found = EMBEDDED.search(page_text)
    assert found, "no quiz data in the page"
    return json.loads(html.unescape(found.group(1)))


# --- the real quiz -----------------------------------------------------------------------------------------


def test_real_quiz_loads_with_five_to_eight_questions(repo):
    catalog = load_catalog(repo)
    quiz = load_quiz(repo, catalog)
    assert quiz is not None
    assert 5 <= len(quiz.questions) <= 8
    for question in quiz.questions:
        assert question.default.indifferent, question.id  # every question has a "doesn't matter" answer
        assert any(not a.indifferent for a in question.answers), question.id


def answer_rows(quiz, catalog, question: str) -> dict:
    """{answer id: TableRow} of one question in the decision table."""
    table = dict((q.id, rows) for q, rows in decision_table(quiz, catalog))
    return {row.answer.id: row for row in table[question]}


def test_real_quiz_rules_rq_out_for_rabbitmq(repo):
    """A fact unlikely to change: RQ runs on Redis only."""
    catalog = load_catalog(repo)
    rows = answer_rows(load_quiz(repo, catalog), catalog, "broker")
    assert "rq" in {x.queue.id for x in rows["rabbitmq"].excludes}
    assert "rq" not in {x.queue.id for x in rows["redis"].excludes}
    assert rows["any"].excludes == () and rows["any"].points == ()


def test_real_decision_table_follows_the_claims(repo):
    """Every exclusion in the table is a failed requirement, and every failed requirement is in the table."""
    catalog = load_catalog(repo)
    quiz = load_quiz(repo, catalog)
    for question, rows in decision_table(quiz, catalog):
        for row in rows:
            failed = {(q.id, p.reason) for q in catalog.queues for p in row.answer.require if not holds(p, q)}
            assert {(x.queue.id, x.predicate.reason) for x in row.excludes} == failed, (question.id, row.answer.id)


# --- validation: file:line errors --------------------------------------------------------------------------


def test_quiz_is_optional(mini):
    quiz_path(mini).unlink()
    built = {p.path: p.text for p in pages(mini)}
    assert "guide/quiz.md" not in built
    assert "Take the quiz" not in built["index.md"]


def test_mini_quiz_renders_a_page_and_a_home_card(mini):
    built = {p.path: p.text for p in pages(mini)}
    assert "guide/quiz.md" in built
    assert "[Take the quiz](guide/quiz.md)" in built["index.md"]
    data = embedded(built["guide/quiz.md"])
    assert [q["id"] for q in data["questions"]] == ["broker", "windows", "retries"]
    assert data["queues"][0]["claims"]["windows"]["url"] == "../queues/alpha/#windows"


def test_unknown_claim_value_is_reported_with_its_line(mini):
    line = edit(mini, "in: [yes, partial]", "in: [yes, maybe]")
    errors = errors_of(mini)
    assert len(errors) == 1
    assert errors[0].startswith(
        f"data/quiz.yaml:{line}: questions[1].answers[1].require[0].in[1]: 'maybe' is not one of"
    )


def test_unknown_feature_id_is_reported_with_its_line(mini):
    line = edit(mini, "feature: retries", "feature: retrys")
    assert errors_of(mini) == [
        f"data/quiz.yaml:{line}: questions[2].answers[1].prefer[0].feature: unknown feature id 'retrys'"
    ]


def test_unknown_broker_is_reported_with_its_line(mini):
    line = edit(mini, "brokers: [rabbitmq]", "brokers: [kafka]")
    errors = errors_of(mini)
    assert errors == [
        f"data/quiz.yaml:{line}: questions[0].answers[2].require[0].brokers[0]: unknown broker 'kafka' "
        "(known: redis, rabbitmq, postgres, none)"
    ]


def test_requirement_without_reason_is_rejected(mini):
    edit(mini, "            reason: Must work with Redis.\n", "")
    text = quiz_path(mini).read_text(encoding="utf-8")
    line = text[: text.index("- brokers: [redis]")].count("\n") + 1
    assert errors_of(mini) == [
        f"data/quiz.yaml:{line}: questions[0].answers[1].require[0]: a predicate is either `feature` + `in` or "
        "`brokers`; requirements need `reason`, preferences need `weight` (and not the other)"
    ]


def test_every_question_needs_a_doesnt_matter_answer(mini):
    edit(mini, "      - id: any\n        label: Doesn't matter\n      - id: redis", "      - id: redis")
    text = quiz_path(mini).read_text(encoding="utf-8")
    line = text[: text.index("    answers:")].count("\n") + 1
    assert errors_of(mini) == [
        f'data/quiz.yaml:{line}: questions[0].answers: needs a "doesn\'t matter" answer '
        "(one with no require and no prefer)"
    ]


def test_duplicate_ids_and_unknown_fields(mini):
    edit(mini, "id: rabbitmq", "id: redis")
    errors = errors_of(mini)
    assert any("duplicate answer id 'redis'" in e for e in errors), errors
    edit(mini, "text: Which broker do you run?", "text: Which broker do you run?\n    colour: red")
    errors = errors_of(mini)
    assert any("unknown field" in e and "'colour'" in e for e in errors), errors


# --- predicates ---------------------------------------------------------------------------------------------


def queue(claims: dict[str, str], brokers: tuple[str, ...] = ("redis",)) -> m.Queue:
    return m.Queue(
        id="q",
        name="Q",
        pypi="q",
        version="1",
        requirements=("q==1",),
        brokers=brokers,
        links={},
        summary="",
        strengths=(),
        weaknesses=(),
        choose_when=(),
        snippets={},
        claims={f: m.Claim("q", f, v, "d", m.Evidence()) for f, v in claims.items()},
    )


def test_feature_predicates_test_the_claim_value():
    q = queue({"windows": "partial"})
    assert holds(Predicate(feature="windows", values=("yes", "partial")), q)
    assert not holds(Predicate(feature="windows", values=("yes",)), q)


def test_a_missing_claim_counts_as_unknown():
    q = queue({})
    assert not holds(Predicate(feature="windows", values=("yes", "partial", "no")), q)
    assert holds(Predicate(feature="windows", values=("unknown",)), q)


def test_broker_predicates_need_one_supported_broker():
    q = queue({}, brokers=("redis", "rabbitmq"))
    assert holds(Predicate(brokers=("rabbitmq",)), q)
    assert holds(Predicate(brokers=("postgres", "redis")), q)
    assert not holds(Predicate(brokers=("postgres",)), q)


# --- the page's data ----------------------------------------------------------------------------------------


def test_attribute_json_cannot_leave_its_attribute():
    hostile = {"label": "\"></div><script>alert(1)</script> & <!-- '"}
    text = attribute_json(hostile)
    assert not set(text) & set("<>\"'")
    assert "&" not in text.replace("&quot;", "").replace("&#x27;", "")
    assert json.loads(html.unescape(text)) == hostile


def test_hostile_quiz_and_claim_text_stays_data(mini):
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    edit(mini, "label: Preferably", f"label: '{hostile}'")
    alpha = mini.data / "queues" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("detail: Works with one pool only.", f"detail: '{hostile}'"))
    text = next(p.text for p in pages(mini) if p.path == "guide/quiz.md")
    assert "<script>alert" not in text and "<img" not in text
    data = embedded(text)
    assert data["questions"][2]["answers"][1]["label"] == hostile  # the script gets the text back intact
    assert data["queues"][0]["claims"]["windows"]["detail"] == hostile
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text  # and the static table shows it as text


def test_changing_a_claim_changes_the_outcome(mini):
    """No code change: flip a claim in the data, and the table and the script's data follow."""

    def windows_rows():
        data = site_data(mini)
        return answer_rows(data.quiz, data.catalog, "windows"), payload(data.quiz, data.catalog, data.evidence)

    before, data_before = windows_rows()
    assert before["must"].excludes == ()
    assert [(q.id, n) for q, n in before["must"].points] == []  # partial: allowed, but no points
    alpha = mini.data / "queues" / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("value: partial", "value: no"))
    after, data_after = windows_rows()
    assert [(x.queue.id, x.value) for x in after["must"].excludes] == [("alpha", "no")]
    assert data_before["queues"][0]["claims"]["windows"]["value"] == "partial"
    assert data_after["queues"][0]["claims"]["windows"]["value"] == "no"
    alpha.write_text(
        alpha.read_text().replace("value: no", "value: yes").replace("    note: Only with the thread pool.\n", "")
    )
    again, _ = windows_rows()
    assert again["must"].excludes == ()
    assert [(q.id, n) for q, n in again["must"].points] == [("alpha", 2)]


def test_payload_names_every_queue_and_only_known_features(repo):
    data = site_data(repo)
    out = payload(data.quiz, data.catalog, data.evidence)
    assert [q["id"] for q in out["queues"]] == [q.id for q in data.catalog.queues]
    feature_ids = {f.id for f in data.catalog.features}
    assert set(out["features"]) <= feature_ids
    for q in out["queues"]:
        assert set(q["claims"]) == set(out["features"])
        for fid, claim in q["claims"].items():
            assert claim["url"] == f"../queues/{q['id']}/#{fid}"
            assert claim["state"] in ("executed", "documented", "failing", "none")


def test_quiz_script_is_small_local_and_names_no_queue(repo):
    """Under 15 KB unminified, and data-driven: no queue or feature id is written into the script."""
    script = (repo.docs / "assets" / "quiz.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 15_000
    assert "http://" not in script and "https://" not in script
    assert ".innerHTML" not in script  # data reaches the page through textContent only
    catalog = load_catalog(repo)
    for name in [q.id for q in catalog.queues] + ["windows", "fan_in", "redelivery"]:
        assert f'"{name}"' not in script and f"'{name}'" not in script, name
