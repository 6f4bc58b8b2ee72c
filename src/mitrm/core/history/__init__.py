"""History: per-item timelines from commits, the change log, and the metrics read from them.

Pure: the git adapter and the history builder in ``mitrm.io`` hand in plain
commits and file versions; ``timeline`` turns them into field-level changes,
``changelog`` groups them for readers, ``metrics`` measures lead times and churn.
"""
