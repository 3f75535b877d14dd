"""Benchmark drivers, one per queue library (`<queue>.py`), run by `whichqueue bench` in that library's env.

A package so a worker can import a driver as `benchmarks.<queue>` without the file shadowing the library.
"""
