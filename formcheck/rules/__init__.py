"""The rules engine: one small pure function per rule (metrics + its config -> :class:`Verdict`)."""

from formcheck.rules.registry import RULE_IDS, judge_rules
from formcheck.rules.verdict import VERDICTS, Verdict

__all__ = ["RULE_IDS", "VERDICTS", "Verdict", "judge_rules"]
