"""A static site generator for election-results microsites."""

__version__ = "0.1.0"
