"""`whichqueue bench`: throughput, latency, memory and crash behaviour of each queue, on real brokers.

The orchestrator knows no library. What to run comes from data/bench.yaml; how to drive a library lives in
benchmarks/<queue>.py, run with that library's own environment (`envs.ensure`), speaking this protocol:

* command: ``<env python> -P -m benchmarks.<queue>`` in the repository root (``-P``: the driver's folder is
  not put first on sys.path, so ``benchmarks/celery.py`` never shadows ``celery``; PYTHONPATH is the root).
* environment: ``BROKER_URL`` (a fresh RabbitMQ vhost per run, or Redis), ``REDIS_URL`` (where tasks are
  counted), ``WQ_NAMESPACE`` (unique per invocation: every key and queue carries it), ``WQBENCH_OPTIONS``
  (the setting's options as JSON, for worker processes that import the driver module).
* stdin: one JSON request: ``workload`` ("throughput" | "reliability"), ``concurrency``, ``options`` and
  the sizes of data/bench.yaml's mode (``n``, ``warmup``, ``latency_n``...).
* stdout: one line ``WQBENCH {json}``: ``protocol`` (1), ``version``, ``settings`` (the effective settings
  the driver read back from the library), ``counts`` ({phase: {expected, unique, executions, lost,
  duplicated}}) and, for throughput, ``timings`` (enqueue_s, drain_s, io_s), ``latencies_ms``,
  ``memory`` (peak_rss_kb, peak_pss_kb of the worker's process tree); for reliability ``killed_at``.

A run whose counts show a lost or duplicated task, or whose answer is missing or malformed, is invalid:
it is kept in the results with its reason and never averaged in.
"""
