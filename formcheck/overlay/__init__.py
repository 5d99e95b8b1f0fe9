"""Annotators: they read landmarks and verdicts and draw on frames; they never judge."""
