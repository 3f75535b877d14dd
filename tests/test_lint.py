"""Lint checks: section markers, orphans, evidence states (strict mode fails on bad evidence)."""

import json

from whichqueue.cli import main
from whichqueue.lint import run_lint, section_markers
from whichqueue.results import ResultFile, RunEnv, SnippetResult, write_atomic


def test_balanced_sections_pass():
    text = "# --8<-- [start:example]\nx = 1\n# --8<-- [end:example]\n"
    assert section_markers(text, "s.py") == []


def test_missing_end_marker_is_an_error_with_its_line():
    text = "a = 1\n# --8<-- [start:example]\nx = 1\n"
    (finding,) = section_markers(text, "s.py")
    assert finding.level == "error" and finding.where == "s.py:2" and "never ended" in finding.message


def test_end_without_start_and_double_start():
    text = "# --8<-- [end:a]\n# --8<-- [start:b]\n# --8<-- [start:b]\n# --8<-- [end:b]\n"
    messages = [f.message for f in section_markers(text, "s.py")]
    assert "[end:a] without a [start:a]" in messages and "section 'b' started twice" in messages


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


def test_orphan_snippet_file_is_reported(mini):
    (mini.root / "snippets/alpha/stray.py").write_text("print('hi')\n")
    assert any(f.where == "snippets/alpha/stray.py" and "not declared" in f.message for f in run_lint(mini))


def test_data_errors_become_lint_errors(mini, monkeypatch, capsys):
    monkeypatch.setenv("WHICHQUEUE_ROOT", str(mini.root))
    path = mini.root / "data/queues/alpha.yaml"
    path.write_text(path.read_text().replace("value: yes", "value: maybe"))
    assert main(["lint"]) == 1
    assert "claims.retries.value" in capsys.readouterr().err


def test_stats_json_has_the_contract_keys(mini, monkeypatch, capsys):
    monkeypatch.setenv("WHICHQUEUE_ROOT", str(mini.root))
    record(mini)
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    for key in (
        "libraries",
        "features",
        "claims",
        "claims_executed",
        "claims_documented",
        "claims_failing",
        "snippets",
        "snippets_passed",
        "snippets_failed",
        "snippets_error",
        "verify_wall_s",
        "verify_sum_s",
    ):
        assert key in stats, key
    # retries (two passing snippets) is executed; windows (sources only) and release activity are documented
    assert (stats["claims"], stats["claims_executed"], stats["claims_documented"]) == (3, 1, 2)


def test_value_not_explained_by_the_feature_reading_is_reported(mini):
    path = mini.root / "data/queues/alpha.yaml"
    path.write_text(path.read_text().replace("value: yes", "value: no"))
    findings = [f for f in run_lint(mini) if "is not explained" in f.message]
    assert [f.message.split(":")[0] for f in findings] == ["claims.retries"]
    assert findings[0].level == "warning"
