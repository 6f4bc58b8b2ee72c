"""Git behind a narrow adapter: plain subprocesses in, frozen dataclasses out.

``adapter`` runs ``git log`` and ``git cat-file --batch``; ``changes`` lists the
item files changed since a revision; ``refs`` lists the file names other
branches hold, for id allocation. No git object reaches core.
"""
