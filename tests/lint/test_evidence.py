"""Lint check: failing, missing, stale and old evidence; --strict turns the warnings into errors."""

from whichqueue.cli import main
from whichqueue.lint import run_lint
from whichqueue.results import ResultFile, RunEnv, SnippetResult, write_atomic


def record(layout, version="1.1.0", status="pass", finished="2026-11-23T10:00:00+00:00", broker="none"):
    env = RunEnv("alpha", version, broker, "", "3.11.7", "Linux x86_64")
    results = {
        sid: SnippetResult(sid, status, "", 0.1, finished)
        for sid in ("alpha/ok", "alpha/fails", "alpha/hangs", "alpha/chatty", "alpha/crashes")
    }
    write_atomic(layout.results / env.filename, ResultFile(env, results).to_json())
    env_r = RunEnv("alpha", version, "redis", "7.0.15", "3.11.7", "Linux x86_64")
    message = "boom" if status != "pass" else ""
    redis_results = {
        sid: SnippetResult(sid, status, message, 0.1, finished) for sid in ("alpha/keys", "alpha/slow_keys")
    }
    write_atomic(layout.results / env_r.filename, ResultFile(env_r, redis_results).to_json())


def levels(findings, text):
    return [f.level for f in findings if text in f.message]


def test_missing_evidence_is_a_warning_and_strict_fails(mini, monkeypatch):
    monkeypatch.setenv("WHICHQUEUE_ROOT", str(mini.root))
    assert levels(run_lint(mini), "no result") == ["warning"] * 7
    assert main(["lint"]) == 0
    assert main(["lint", "--strict"]) == 1


def test_failed_and_stale_evidence_are_reported(mini):
    record(mini, status="fail")
    assert levels(run_lint(mini), "latest result is fail") == ["warning"] * 7
    record(mini, status="pass", version="1.0.0")
    for f in mini.results.glob("*1.1.0*"):
        f.unlink()
    assert len(levels(run_lint(mini), "not the pinned version")) == 7


def test_old_evidence_is_stale(mini):
    record(mini, finished="2020-01-01T00:00:00+00:00")
    assert len(levels(run_lint(mini, max_age_days=30), "older than 30 days")) == 7


def test_clean_evidence_passes_strict_apart_from_uncited_snippets(mini, monkeypatch):
    monkeypatch.setenv("WHICHQUEUE_ROOT", str(mini.root))
    record(mini)
    findings = run_lint(mini)
    assert all("no claim cites" in f.message for f in findings), findings
