"""The command line: Typer commands and rich output over ``mitrm.core``."""
