"""Results files: naming, round trip, merging partial runs, atomic writes."""

import re

import pytest

from whichqueue import results as r


def env(**kw):
    base = dict(
        queue="celery", version="5.7.0", broker="redis", broker_version="7.0.15", python="3.11.7", os="Linux x86_64"
    )
    return r.RunEnv(**(base | kw))


def res(sid, status="pass", finished="2026-11-23T10:00:00+00:00"):
    return r.SnippetResult(sid, status, "", 1.0, finished, observed="x")


def test_filename_groups_by_minor_versions():
    assert env().filename == "celery-5.7.0__redis-7.0__py3.11.json"
    assert env(broker="none", broker_version="").filename == "celery-5.7.0__none__py3.11.json"


def test_round_trip():
    file = r.ResultFile(env(), {"celery/a": res("celery/a")})
    assert r.parse(file.to_json()) == file


def test_merge_replaces_only_what_ran():
    old = r.ResultFile(env(), {"celery/a": res("celery/a"), "celery/b": res("celery/b")})
    merged = r.merge(old, env(), {"celery/b": res("celery/b", "fail")})
    assert merged.results["celery/a"].status == "pass" and merged.results["celery/b"].status == "fail"


def test_merge_ignores_a_file_of_another_environment():
    old = r.ResultFile(env(broker_version="6.2.0"), {"celery/a": res("celery/a")})
    assert r.merge(old, env(), {}).results == {}


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    target.write_text("old")

    def boom(self, *_):
        raise OSError("disk full")

    monkeypatch.setattr("pathlib.Path.replace", boom)
    with pytest.raises(OSError):
        r.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_corrupt_results_file_is_named(tmp_path):
    (tmp_path / "celery-5.7.0__redis-7.0__py3.11.json").write_text("{not json")
    with pytest.raises(ValueError, match=re.escape("celery-5.7.0__redis-7.0__py3.11.json")):
        r.read_all(tmp_path)
