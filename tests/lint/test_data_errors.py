"""Lint: data errors are lint errors, with file:line: field."""

from whichqueue.cli import main


def test_data_errors_become_lint_errors(mini, monkeypatch, capsys):
    monkeypatch.setenv("WHICHQUEUE_ROOT", str(mini.root))
    path = mini.root / "data/queues/alpha.yaml"
    path.write_text(path.read_text().replace("value: yes", "value: maybe"))
    assert main(["lint"]) == 1
    assert "claims.retries.value" in capsys.readouterr().err
