"""Judgement stages after pose: cleaning, angles, view and direction, gait events, metrics (see ``judge``)."""
