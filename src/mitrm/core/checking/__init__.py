"""Checking: is an item valid and ready? The models' errors, workflows, references and rules.

``validation`` turns raw data into models and pydantic errors into diagnostics;
``checks`` and ``plans`` are the per-file checks; ``workflow`` is the status
workflows; ``crossref`` checks across files (ids, references, cycles);
``rules/`` are the quality rules; ``codes`` is the registry of every diagnostic
code; ``sarif`` writes the diagnostics for code-scanning tools.
"""
