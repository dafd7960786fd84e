"""`python -m handbook_gen` entry point."""
from handbook_gen.cli import main

main()
