"""mitrm: marketing-IT requirements management over plain YAML files in git."""

__version__ = "0.1.0"
