"""formcheck: a form checker for backward ("retro") running.

Stages (data flows one way): video -> PoseSequence -> gait events -> metrics -> verdicts -> outputs.
"""

__version__ = "0.3.0"
