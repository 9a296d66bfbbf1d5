"""gkwatch: the command line, configuration and web front that wire the packages together."""

__version__ = "0.1.0"
