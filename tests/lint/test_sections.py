"""Lint check: snippet section markers are balanced (a missing end would include the rest of the file)."""

from whichqueue.lint import section_markers


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
