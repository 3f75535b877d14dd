"""Lint check: snippet files nobody declared, and declared snippets no claim cites."""

from whichqueue.lint import run_lint


def test_orphan_snippet_file_is_reported(mini):
    (mini.root / "snippets/alpha/stray.py").write_text("print('hi')\n")
    assert any(f.where == "snippets/alpha/stray.py" and "not declared" in f.message for f in run_lint(mini))
