"""Lint check: every claim value is explained by its feature's reading."""

from whichqueue.lint import run_lint


def test_value_not_explained_by_the_feature_reading_is_reported(mini):
    path = mini.root / "data/queues/alpha.yaml"
    path.write_text(path.read_text().replace("value: yes", "value: no"))
    findings = [f for f in run_lint(mini) if "is not explained" in f.message]
    assert [f.message.split(":")[0] for f in findings] == ["claims.retries"]
    assert findings[0].level == "warning"
