"""The decision quiz in a real browser (Debian Chromium through Playwright), driving the page's own script.

Expected rankings are derived from the data the page embeds (an independent oracle below), so the tests hold
when claims change; a few facts unlikely to change (RQ runs on Redis only) are asserted directly.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / ".cache" / "screenshots"
QUIZ = "guide/quiz/"


# --- an independent oracle over the embedded data ------------------------------------------------------------


def holds(pred: dict, queue: dict) -> bool:
    if "feature" in pred:
        claim = queue["claims"].get(pred["feature"])
        return (claim["value"] if claim else "unknown") in pred["in"]
    return any(b in queue["brokers"] for b in pred["brokers"])


def chosen(data: dict, answers: dict[str, str]) -> list[dict]:
    out = []
    for q in data["questions"]:
        wanted = answers.get(q["id"], q["default"])
        out.append(next(a for a in q["answers"] if a["id"] == wanted))
    return out


def expected(data: dict, answers: dict[str, str]) -> list[tuple[str, int, int, int]]:
    """[(queue id, rank, unmet requirements, points)] in ranking order."""
    rows = []
    picked = chosen(data, answers)
    for queue in data["queues"]:
        misses = sum(1 for a in picked for p in a["require"] if not holds(p, queue))
        points = sum(p["weight"] for a in picked for p in a["prefer"] if holds(p, queue))
        rows.append((queue["id"], queue["name"], misses, points))
    rows.sort(key=lambda r: (r[2], -r[3], r[1].lower()))  # fits (0 misses) first, then closest; most points
    out: list[tuple[str, int, int, int]] = []
    for i, (qid, _, misses, points) in enumerate(rows):
        same = out and out[-1][2] == misses and out[-1][3] == points
        out.append((qid, out[-1][1] if same else i + 1, misses, points))
    return out


# --- page helpers ----------------------------------------------------------------------------------------------


def open_quiz(page, server: str, query: str = ""):
    response = page.goto(f"{server}/{QUIZ}{query}", wait_until="networkidle")
    assert response is not None and response.ok
    page.wait_for_selector("#wq-result li.wq-queue")
    return json.loads(page.locator("#wq-quiz").get_attribute("data-quiz"))


def shown(page) -> list[tuple[str, int, bool]]:
    return [
        (
            li.get_attribute("data-queue"),
            int(li.get_attribute("data-rank")),
            li.get_attribute("data-excluded") == "true",
        )
        for li in page.locator("#wq-result li.wq-queue").all()
    ]


def answer(page, data: dict, question: str, answer_id: str) -> None:
    """Click the answer's label, as a reader would."""
    q = next(q for q in data["questions"] if q["id"] == question)
    label = next(a["label"] for a in q["answers"] if a["id"] == answer_id)
    page.locator(f"fieldset[data-question='{question}'] label.wq-answer", has_text=label).click()


def url_answers(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def checked(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#wq-quiz input:checked')]
                 .map(i => [i.dataset.question, i.value]))"""
    )


def non_default(data: dict, answers: dict[str, str]) -> dict[str, str]:
    defaults = {q["id"]: q["default"] for q in data["questions"]}
    return {k: v for k, v in answers.items() if defaults[k] != v}


SNAPSHOT = """() => ({
  summary: document.querySelector('#wq-result .wq-summary').textContent,
  items: [...document.querySelectorAll('#wq-result li.wq-queue')].map(li => ({
    id: li.dataset.queue, rank: +li.dataset.rank, excluded: li.dataset.excluded === 'true',
    score: (li.querySelector('.wq-score') || {textContent: '0 of 0'}).textContent,
    reasons: [...li.querySelectorAll('.wq-excluded li')].map(x => x.textContent),
    hrefs: [...li.querySelectorAll('li a')].map(a => a.getAttribute('href')),
  })),
})"""


def check_result(page, data: dict, answers: dict[str, str]) -> None:
    """The page's ranking, reasons and links match the oracle for these answers (one DOM read)."""
    want = expected(data, answers)
    got = page.evaluate(SNAPSHOT)
    assert [(i["id"], i["rank"], i["excluded"]) for i in got["items"]] == [(q, r, m > 0) for q, r, m, _ in want]
    queues = {q["id"]: q for q in data["queues"]}
    for item, (qid, _, misses, points) in zip(got["items"], want, strict=True):
        assert item["score"].startswith(f"{points} of "), (qid, item["score"])
        failed = [p for a in chosen(data, answers) for p in a["require"] if not holds(p, queues[qid])]
        assert len(item["reasons"]) == misses == len(failed)
        for pred, text in zip(failed, item["reasons"], strict=True):
            assert pred["reason"] in text
        assert all(h.startswith(("../queues/", "../features/")) for h in item["hrefs"]), item["hrefs"]
    if all(misses for _, _, misses, _ in want):
        assert "Nothing fits all your requirements" in got["summary"]


def shoot(page, name: str) -> None:
    """Screenshot of the result section (the sticky header hidden, so it cannot cover the ranking)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".md-header { position: static !important; }")
    page.locator("#wq-result").screenshot(path=str(SHOTS / f"{name}.png"))


def wait_answers(page, data: dict, want: dict[str, str]) -> None:
    """Wait until the form shows these answers (after a reload or history step, the page may be reloading)."""
    full = {q["id"]: want.get(q["id"], q["default"]) for q in data["questions"]}
    page.wait_for_function(
        """(want) => Object.entries(want).every(([q, a]) =>
             document.querySelector(`#wq-quiz input[name="wq-${q}"][value="${a}"]:checked`))
           && document.querySelector('#wq-result li.wq-queue')""",
        arg=full,
    )


# --- personas: the quiz end to end ----------------------------------------------------------------------------

PERSONAS = {
    "windows shop": {"windows": "restricted", "scheduling": "delayed"},
    "rabbitmq shop that needs chords": {"broker": "rabbitmq", "workflows": "must", "scale": "large"},
    "asyncio startup on redis": {"broker": "redis", "asyncio": "must", "configuration": "little"},
    "reliability first": {"crashes": "configure", "configuration": "json", "scale": "small"},
    "cron at scale": {"scheduling": "periodic", "scale": "large", "crashes": "prefer", "workflows": "nice"},
}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_persona_end_to_end(page, server, persona):
    data = open_quiz(page, server)
    answers = PERSONAS[persona]
    for question, answer_id in answers.items():
        answer(page, data, question, answer_id)
    assert url_answers(page) == answers
    check_result(page, data, answers)
    assert page.errors == []
    if persona == "rabbitmq shop that needs chords":  # the screenshot the docs and the review look at
        shoot(page, "quiz-result")


def test_windows_requirement_excludes_with_its_reason(page, server):
    data = open_quiz(page, server)
    answer(page, data, "windows", "restricted")
    for queue in data["queues"]:
        item = page.locator(f"#wq-result li[data-queue='{queue['id']}']")
        if queue["claims"]["windows"]["value"] in ("yes", "partial"):
            assert item.get_attribute("data-excluded") == "false"
        else:
            assert item.get_attribute("data-excluded") == "true"
            reason = item.locator(".wq-excluded li").first
            assert "Workers must run natively on Windows." in reason.inner_text()
            link = reason.locator("a").first.get_attribute("href")
            assert link == f"../queues/{queue['id']}/#windows"


def test_rq_is_excluded_for_rabbitmq_with_a_link_to_its_brokers(page, server):
    """A fact unlikely to change: RQ runs on Redis only."""
    data = open_quiz(page, server, "?broker=rabbitmq")
    if not any(q["id"] == "rq" for q in data["queues"]):
        pytest.skip("no RQ in the catalog")
    rq = page.locator("#wq-result li[data-queue='rq']")
    assert rq.get_attribute("data-excluded") == "true"
    reason = rq.locator(".wq-excluded li").first
    assert "Must work with RabbitMQ." in reason.inner_text() and "Redis" in reason.inner_text()
    # the link reaches the claim on the queue's page
    page.locator("#wq-result li[data-queue='rq'] .wq-excluded a").first.click()
    page.wait_for_url("**/guide/queues/rq/#brokers")
    assert page.locator("#brokers").count() == 1
    assert page.errors == []


def test_nothing_fits_shows_the_closest_options(page, server):
    data = open_quiz(page, server)
    # the first answer combination that rules every queue out (the data decides which; one must exist)
    combos = (dict(zip([q["id"] for q in data["questions"]], ids, strict=True)) for ids in all_ids(data))
    answers = next(a for a in combos if all(m for _, _, m, _ in expected(data, a)))
    for question, answer_id in non_default(data, answers).items():
        answer(page, data, question, answer_id)
    check_result(page, data, answers)
    assert "closest" in page.locator("#wq-result li.wq-queue .wq-flag").first.text_content()
    shoot(page, "quiz-nothing-fits")


# --- the URL is the state ---------------------------------------------------------------------------------------


def test_url_round_trip_back_button_reload_and_reset(page, server, browser):
    data = open_quiz(page, server)
    first = shown(page)
    answer(page, data, "broker", "redis")
    answer(page, data, "asyncio", "some")
    answer(page, data, "workflows", "nice")
    state = {"broker": "redis", "asyncio": "some", "workflows": "nice"}
    assert url_answers(page) == state
    check_result(page, data, state)

    page.reload(wait_until="networkidle")  # reload restores
    wait_answers(page, data, state)
    assert non_default(data, checked(page)) == state
    check_result(page, data, state)

    page.go_back()  # back undoes the last answer
    wait_answers(page, data, {"broker": "redis", "asyncio": "some"})
    assert url_answers(page) == {"broker": "redis", "asyncio": "some"}
    check_result(page, data, {"broker": "redis", "asyncio": "some"})
    page.go_back()
    wait_answers(page, data, {"broker": "redis"})
    assert url_answers(page) == {"broker": "redis"}
    page.go_forward()
    page.go_forward()
    wait_answers(page, data, state)
    assert url_answers(page) == state

    shared = page.url  # a shared link opens the same result in a fresh browser
    context = browser.new_context()
    other = context.new_page()
    other.goto(shared, wait_until="networkidle")
    other.wait_for_selector("#wq-result li.wq-queue")
    assert shown(other) == shown(page)
    context.close()

    page.get_by_role("button", name="Reset").click()
    assert url_answers(page) == {}
    assert non_default(data, checked(page)) == {}
    assert shown(page) == first
    assert page.errors == []


def test_unknown_url_answers_fall_back_to_defaults(page, server):
    data = open_quiz(page, server, "?broker=kafka&nonsense=1&windows=restricted")
    assert non_default(data, checked(page)) == {"windows": "restricted"}
    check_result(page, data, {"windows": "restricted"})
    assert page.errors == []


def test_keyboard_only(page, server):
    data = open_quiz(page, server)
    for _ in range(80):  # Tab from the top of the page until the first question has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "wq-broker":
            break
    else:
        pytest.fail("the quiz cannot be reached with Tab")
    focused = page.locator("#wq-quiz input:focus")
    assert focused.evaluate("e => e.matches(':focus-visible')")
    label_ring = focused.evaluate("e => getComputedStyle(e.closest('label')).boxShadow")
    assert label_ring != "none"  # visible focus on the answer
    page.keyboard.press("ArrowRight")  # second answer of question 1
    page.keyboard.press("Tab")  # to question 2
    page.keyboard.press("ArrowRight")
    got = non_default(data, checked(page))
    want = {q["id"]: q["answers"][1]["id"] for q in data["questions"][:2]}
    assert got == want and url_answers(page) == want
    check_result(page, data, want)
    for _ in range(len(data["questions"]) - 1):  # Tab through the remaining groups to Reset
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Reset"
    page.keyboard.press("Enter")
    assert non_default(data, checked(page)) == {} and url_answers(page) == {}
    assert page.errors == []


# --- instant navigation and no JavaScript ----------------------------------------------------------------------


def test_quiz_mounts_after_instant_navigation(page, server):
    page.goto(f"{server}/", wait_until="networkidle")
    page.get_by_role("link", name="Take the quiz").click()
    page.wait_for_selector("#wq-result li.wq-queue")
    assert page.locator(".wq-quiz-nojs").count() == 0
    page.get_by_role("link", name="Comparison matrix").first.click()
    page.wait_for_url("**/guide/matrix/")
    page.go_back()
    page.wait_for_selector("#wq-result li.wq-queue")
    assert page.locator("form.wq-quiz-form").count() == 1
    assert page.errors == []


def test_without_javascript_the_static_table_shows(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/{QUIZ}")
    assert page.locator(".wq-quiz-nojs").is_visible()
    assert page.locator("h2", has_text="Decision table").count() == 1
    assert page.locator("table").count() >= 5
    assert "Rules out" in page.locator("table").first.inner_text()
    context.close()


# --- every answer combination through the page's real script ---------------------------------------------------


def all_ids(data: dict):
    return itertools.product(*[[a["id"] for a in q["answers"]] for q in data["questions"]])


EXHAUSTIVE = """(data) => {
  const Q = window.whichqueueQuiz, qs = data.questions, out = [], seen = new Set();
  const combos = qs.reduce((acc, q) => acc.flatMap(c => q.answers.map(a => c.concat([a.id]))), [[]]);
  const box = document.createElement('div');
  let rendered = 0, problems = [];
  combos.forEach((ids, n) => {
    const answers = Object.fromEntries(qs.map((q, i) => [q.id, ids[i]]));
    const r = Q.evaluate(data, answers);
    const sig = r.ranking.map(x => [x.id, x.rank, x.excluded.length, x.score].join(':')).join('|');
    out.push(sig + '|' + r.nothingFits);
    const back = Q.fromSearch(data, Q.toSearch(data, answers, ''));
    if (!qs.every(q => back[q.id] === answers[q.id])) problems.push('url ' + ids);
    // Render (the real DOM code) for the first 250 distinct ranking orders and a regular sample of the rest:
    // rendering is ~100 times slower than ranking, and the DOM code does not branch on the answers.
    const order = r.ranking.map(x => [x.id, x.rank, x.excluded.length > 0].join(':')).join('|');
    if ((seen.has(order) || seen.size >= 250) && n % 211) return;
    seen.add(order);
    box.replaceChildren(Q.renderResult(r));
    rendered += 1;
    if (box.querySelectorAll('li.wq-queue').length !== r.ranking.length) problems.push('items ' + ids);
    if ([...box.querySelectorAll('a')].some(a => !a.getAttribute('href'))) problems.push('link ' + ids);
    if (r.ranking.some(x => x.excluded.length && !x.excluded.every(e => e.reason))) problems.push('reason ' + ids);
  });
  return {results: out, rendered, problems};
}"""


def test_every_answer_combination(page, server):
    data = open_quiz(page, server)
    got = page.evaluate(EXHAUSTIVE, data)
    combos = list(all_ids(data))
    assert len(got["results"]) == len(combos) > 100
    assert got["problems"] == []
    assert got["rendered"] > 10
    questions = [q["id"] for q in data["questions"]]
    queue_ids = sorted(q["id"] for q in data["queues"])
    for ids, line in zip(combos, got["results"], strict=True):
        *ranking, nothing_fits = line.split("|")
        rows = [tuple(int(x) if x.isdigit() else x for x in r.split(":")) for r in ranking]
        assert sorted(r[0] for r in rows) == queue_ids, ids  # complete: every queue exactly once
        assert rows == expected(data, dict(zip(questions, ids, strict=True))), ids
        assert nothing_fits == str(all(r[2] for r in rows)).lower(), ids
    assert page.errors == []
