"""`whichqueue stats --json`: the contract other parts and CI rely on (shared design §6)."""

import json

from lint.test_evidence import record

from whichqueue.cli import main


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
