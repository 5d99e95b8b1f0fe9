"""Judgement stages after pose: cleaning, angles, view and direction, gait events, metrics (see ``judge``)."""

from formcheck.analysis.judge import Judgement, judge

__all__ = ["Judgement", "judge"]
