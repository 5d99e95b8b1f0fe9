"""summary.csv: one row per video (athlete, date, video, status, error, each rule's verdict and score), sorted so
two runs over the same input compare byte for byte. Written atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from formcheck.atomic import write_text
from formcheck.batch.task import JobResult
from formcheck.rules import RULE_IDS

SUMMARY = "summary.csv"
BASE_COLUMNS = ("athlete", "date", "video", "status", "error")


def rule_ids(results: Iterable[JobResult]) -> list[str]:
    """The registry's rule ids in their fixed order, then any other id a result carries (sorted)."""
    extra = sorted({rid for r in results for rid, _, _ in r.rules} - set(RULE_IDS))
    return [*RULE_IDS, *extra]


def columns(ids: Sequence[str]) -> list[str]:
    return [*BASE_COLUMNS, *(f"{rid}_{part}" for rid in ids for part in ("verdict", "score"))]


def sort_key(r: JobResult) -> tuple[str, str, str]:
    return r.athlete, r.date, r.source


def rows(results: Iterable[JobResult]) -> list[dict[str, str]]:
    """summary.csv's rows (all strings), sorted by athlete, date, video."""
    results = sorted(results, key=sort_key)
    ids = rule_ids(results)
    out = []
    for r in results:
        row = {"athlete": r.athlete, "date": r.date, "video": r.source, "status": r.status, "error": r.error}
        by_id = {rid: (verdict, score) for rid, verdict, score in r.rules}
        for rid in ids:
            verdict, score = by_id.get(rid, ("", None))
            row[f"{rid}_verdict"] = verdict
            row[f"{rid}_score"] = "" if score is None else str(score)
        out.append(row)
    return out


def summary_text(results: Iterable[JobResult]) -> str:
    results = list(results)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns(rule_ids(results)), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(results))
    return buf.getvalue()


def write_summary(results: Iterable[JobResult], out_dir: str | Path) -> Path:
    return write_text(Path(out_dir) / SUMMARY, summary_text(results))


def read_summary(path: str | Path) -> list[dict[str, str]]:
    """summary.csv's rows. Raises OSError."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
