"""whichqueue: a verified decision guide to Python background-task queues.

Pipeline: data/*.yaml -> catalog (model) -> render (Jinja) -> docs/ -> mkdocs build -> site/,
and snippets/ -> verify -> results/*.json -> render.
"""
