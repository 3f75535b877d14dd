/* whichqueue decision quiz.
 * Reads the JSON the renderer puts on the quiz page (#wq-quiz[data-quiz]), builds the form, ranks every queue
 * from the claims and keeps the answers in the URL. No framework, no network: every word about a queue,
 * feature or broker comes from the data, and data text only ever reaches the page through textContent.
 */
(() => {
  "use strict";

  const VALUE = { yes: "yes", partial: "partial", no: "no", addon: "add-on", unknown: "unknown" };
  const EVIDENCE = {
    executed: "verified by a snippet",
    documented: "documented, not executed",
    failing: "FAILING evidence",
    none: "no claim yet",
  };

  // --- the ranking: pure functions of (quiz data, answers) ------------------------------------------------

  function claimOf(queue, feature) {
    return queue.claims[feature] || { value: "unknown", detail: "No claim yet.", state: "none", url: queue.url };
  }

  /** Does the queue satisfy the predicate? (whichqueue.quiz.holds applies the same rule in Python.) */
  function holds(p, queue) {
    if (p.feature) return p.in.includes(claimOf(queue, p.feature).value);
    return p.brokers.some((b) => queue.brokers.includes(b));
  }

  /** One answer per question: the chosen one, or the question's "doesn't matter" default. */
  function picks(quiz, answers) {
    return quiz.questions.map((q) => ({
      question: q,
      answer: q.answers.find((a) => a.id === answers[q.id]) || q.answers.find((a) => a.id === q.default),
    }));
  }

  /** What a predicate looked at for one queue: a claim (with its link and evidence) or the broker list. */
  function fact(quiz, queue, p) {
    if (p.feature) {
      const c = claimOf(queue, p.feature);
      const f = quiz.features[p.feature];
      return { label: f.label, value: VALUE[c.value], detail: c.detail, state: c.state, url: c.url, compare: f.url };
    }
    const names = queue.brokers.map((b) => quiz.brokers[b] || b).join(", ");
    return { label: "Brokers", value: names, detail: "", state: queue.brokersState, url: queue.brokersUrl, compare: null };
  }

  /** Rank every queue for the answers. The only scoring function of the site. */
  function evaluate(quiz, answers) {
    const chosen = picks(quiz, answers);
    const max = chosen.reduce((n, c) => n + c.answer.prefer.reduce((m, p) => m + p.weight, 0), 0);
    const rows = quiz.queues.map((queue) => {
      const excluded = [];
      const why = [];
      const whyNot = [];
      const prefs = new Map(); // preferences on one feature add up to one bullet
      for (const { answer } of chosen) {
        for (const p of answer.require) {
          const item = { kind: "require", reason: p.reason, ...fact(quiz, queue, p) };
          (holds(p, queue) ? why : excluded).push(item);
        }
        for (const p of answer.prefer) {
          const key = p.feature || `brokers:${p.brokers.join(",")}`;
          const entry = prefs.get(key) || { kind: "prefer", gained: 0, possible: 0, wanted: [], ...fact(quiz, queue, p) };
          entry.possible += p.weight;
          for (const v of p.in || []) if (!entry.wanted.includes(VALUE[v])) entry.wanted.push(VALUE[v]);
          if (holds(p, queue)) entry.gained += p.weight;
          prefs.set(key, entry);
        }
      }
      for (const entry of prefs.values()) (entry.gained > 0 ? why : whyNot).push(entry);
      const score = [...prefs.values()].reduce((n, e) => n + e.gained, 0);
      return { id: queue.id, name: queue.name, version: queue.version, url: queue.url, score, excluded, why, whyNot };
    });
    const key = (r) => r.name.toLowerCase(); // ties in alphabetical order, whatever the capitalisation
    const byName = (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    const fits = rows.filter((r) => !r.excluded.length).sort((a, b) => b.score - a.score || byName(a, b));
    // Closest first: fewest unmet requirements, then most points.
    const out = rows
      .filter((r) => r.excluded.length)
      .sort((a, b) => a.excluded.length - b.excluded.length || b.score - a.score || byName(a, b));
    const ranking = fits.concat(out);
    ranking.forEach((r, i) => {
      const prev = ranking[i - 1];
      const tie = prev && prev.score === r.score && prev.excluded.length === r.excluded.length;
      r.rank = tie ? prev.rank : i + 1; // equal points share a rank (and equal misses, when excluded)
    });
    const answered = chosen.filter((c) => c.answer.id !== c.question.default).length;
    return { ranking, max, answered, questions: quiz.questions.length, nothingFits: fits.length === 0 };
  }

  // --- answers <-> URL -------------------------------------------------------------------------------------

  /** {questionId: answerId} from a query string; unknown questions or answers are ignored. */
  function fromSearch(quiz, search) {
    const params = new URLSearchParams(search);
    const answers = {};
    for (const q of quiz.questions) {
      const value = params.get(q.id);
      answers[q.id] = q.answers.some((a) => a.id === value) ? value : q.default;
    }
    return answers;
  }

  /** The query string for answers: only questions not left at "doesn't matter"; other parameters kept. */
  function toSearch(quiz, answers, search) {
    const params = new URLSearchParams(search);
    for (const q of quiz.questions) {
      if (answers[q.id] && answers[q.id] !== q.default) params.set(q.id, answers[q.id]);
      else params.delete(q.id);
    }
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  // --- DOM ---------------------------------------------------------------------------------------------------

  /** Create an element; strings become text nodes, never HTML. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function buildForm(quiz) {
    const form = h("form", { class: "wq-quiz-form", "aria-label": "Decision quiz" });
    quiz.questions.forEach((q, i) => {
      const answers = q.answers.map((a) =>
        h(
          "label",
          { class: "wq-answer" },
          h("input", { type: "radio", name: `wq-${q.id}`, value: a.id, "data-question": q.id }),
          h("span", { text: a.label }),
        ),
      );
      const help = q.help ? h("p", { class: "wq-help", text: q.help }) : null;
      form.append(
        h(
          "fieldset",
          { class: "wq-question", "data-question": q.id },
          h("legend", { text: `${i + 1}. ${q.text}` }),
          help,
          h("div", { class: "wq-answers" }, answers),
        ),
      );
    });
    form.append(h("p", { class: "wq-actions" }, h("button", { type: "reset", class: "md-button", text: "Reset" })));
    return form;
  }

  function bullet(item) {
    const head = item.kind === "require" ? `Required: ${item.reason} ` : "";
    const unit = item.possible === 1 ? "point" : "points";
    let points = item.kind === "prefer" ? ` ${item.gained ? "+" : ""}${item.gained} of ${item.possible} ${unit}` : "";
    if (points && !item.gained && item.wanted.length) points += ` (scores for ${item.wanted.join(" or ")})`;
    const compare = item.compare ? h("a", { href: item.compare, text: "compare" }) : null;
    return h(
      "li",
      null,
      head,
      h("a", { href: item.url, text: `${item.label}: ${item.value}` }),
      item.detail ? ` — ${item.detail}` : "",
      " ",
      h("span", { class: `wq-evidence wq-${item.state}` }, `(${EVIDENCE[item.state] || item.state}`, compare ? " · " : "", compare, ")"),
      points ? h("span", { class: "wq-points", text: points }) : null,
    );
  }

  function list(title, cls, items) {
    if (!items.length) return null;
    return h("div", { class: cls }, h("p", { class: "wq-list-title", text: title }), h("ul", null, items.map(bullet)));
  }

  function summary(result) {
    const top = result.ranking[0];
    if (result.nothingFits) {
      return "Nothing fits all your requirements. The closest options follow, each with the requirements it misses.";
    }
    if (!result.answered) return "Every queue fits when nothing matters. Answer a question to tell them apart.";
    const tied = result.ranking.filter((r) => !r.excluded.length && r.rank === 1).map((r) => r.name);
    const best = tied.length > 1 ? `A tie between ${tied.join(" and ")}` : `Best fit: ${top.name}`;
    return `${best}, with ${top.score} of ${result.max} points from your preferences.`;
  }

  /** The result section for one evaluation (also used by the tests, over every answer combination). */
  function renderResult(result) {
    const items = result.ranking.map((r) => {
      const out = r.excluded.length > 0;
      const flag = out ? h("span", { class: "wq-flag", text: result.nothingFits ? "closest, but excluded" : "excluded" }) : null;
      return h(
        "li",
        { class: out ? "wq-queue wq-out" : "wq-queue", "data-queue": r.id, "data-rank": String(r.rank), "data-excluded": String(out) },
        h(
          "p",
          { class: "wq-head" },
          h("span", { class: "wq-rank", text: `#${r.rank}` }),
          h("a", { href: r.url, class: "wq-name", text: `${r.name} ${r.version}` }),
          result.max ? h("span", { class: "wq-score", text: `${r.score} of ${result.max} points` }) : null,
          flag,
        ),
        list("Ruled out by", "wq-excluded", r.excluded),
        list("Why", "wq-why", r.why),
        list("Why not", "wq-whynot", r.whyNot),
      );
    });
    return h(
      "div",
      null,
      h("h2", { text: "Your recommendation" }),
      h("p", { class: "wq-summary", text: summary(result) }),
      h("p", { class: "wq-answered", text: `${result.answered} of ${result.questions} questions answered.` }),
      h("ol", { class: "wq-ranking" }, items),
    );
  }

  // --- wiring: one mounted quiz at a time (Material's instant navigation swaps the page content) ------------

  let current = null;

  function mount(root, quiz) {
    const form = buildForm(quiz);
    const output = h("section", { class: "wq-result", id: "wq-result", "aria-live": "polite" });
    root.replaceChildren(form, output);
    let lastQuestion = null; // arrow keys move through a group: one history entry per question, not per key

    const show = (answers) => {
      for (const input of form.querySelectorAll("input[type=radio]")) {
        input.checked = answers[input.dataset.question] === input.value;
      }
      output.replaceChildren(renderResult(evaluate(quiz, answers)));
    };
    const read = () => {
      const answers = {};
      for (const input of form.querySelectorAll("input:checked")) answers[input.dataset.question] = input.value;
      return answers;
    };
    const go = (answers, question) => {
      const url = location.pathname + toSearch(quiz, answers, location.search) + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        if (question !== null && question === lastQuestion) history.replaceState(history.state, "", url);
        else history.pushState(null, "", url);
      }
      lastQuestion = question;
      show(answers);
    };

    form.addEventListener("change", (event) => go(read(), event.target.dataset.question || null));
    form.addEventListener("reset", (event) => {
      event.preventDefault(); // the browser's reset would uncheck every radio; ours selects the defaults
      go(fromSearch(quiz, ""), null);
    });
    current = { root, path: location.pathname, restore: () => ((lastQuestion = null), show(fromSearch(quiz, location.search))) };
    current.restore();
  }

  function init() {
    const root = document.getElementById("wq-quiz");
    if (!root || !root.dataset.quiz || root.dataset.wqReady) return;
    let quiz;
    try {
      quiz = JSON.parse(root.dataset.quiz);
    } catch (err) {
      console.error("whichqueue quiz: unreadable data", err);
      return; // the no-JavaScript text and the static table stay
    }
    root.dataset.wqReady = "1";
    mount(root, quiz);
  }

  window.addEventListener("popstate", () => {
    if (current && current.root.isConnected && location.pathname === current.path) current.restore();
  });

  window.whichqueueQuiz = { evaluate, holds, fromSearch, toSearch, renderResult };
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
