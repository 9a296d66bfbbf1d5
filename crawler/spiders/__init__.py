"""Spiders of the gkwatch crawler."""
