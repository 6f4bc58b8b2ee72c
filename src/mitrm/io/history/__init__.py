"""Item history from git for the commands: built, cached, and fed to the other commands.

``build`` turns git's log and old file versions into item events; ``cache`` keeps
the result under ``.git/mitrm/``; ``loading`` serves it to ``mitrm history`` and
the report with uncommitted changes added; ``insights`` gives other commands
what the history adds (churn, unapproved changes, flow metrics).
"""
