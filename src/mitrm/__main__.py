"""Run the command line as ``python -m mitrm``."""

from mitrm.cli.app import main

if __name__ == "__main__":
    main()
