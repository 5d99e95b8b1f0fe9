"""Choosing the athlete among the people found: by what makes one, not by how much the landmarks move.

A person who stands and waves moves their landmarks as much as a walker does (REAL_FOOTAGE.md); what sets the
athlete apart is

- **travel**: the hips cover ground steadily against the background (across a static scene, or held in frame
  while the background streams past a following camera): the median net displacement over a window, times the
  windows seen, in torso lengths;
- **gait**: the feet alternate periodically at a walking or running stride: the autocorrelation of the
  left-minus-right ankle offset is high at one stride period and negative at half of it (0..1);
- **presence** (the share of the clip seen; seconds beyond ``presence_full_s`` count only as far as the person
  shows a gait: standing about for longer is no more evidence of being the athlete, running for longer is) and
  **size** (median torso length against the largest candidate's).

When the two best are close on the sweep's landmarks (a lighter model at a lower rate), both are followed on every
frame with the full model and ranked again on those (:func:`rerank_followed`).

Every cue is the same for the clip played forward, backward or mirrored (ranges and autocorrelations do not
depend on time direction or left/right), so the choice is too, given the same tracks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from formcheck.config import AthleteConfig
from formcheck.pose.landmarks import LM, torso_lengths


@dataclass(frozen=True)
class Evidence:
    """Why a candidate is (or is not) the athlete. ``presence`` 0..1 share of frames; ``torso_px`` median torso
    length (px); ``size`` that against the largest candidate's (0..1); ``travel_torso`` ground covered steadily
    against the background (torso lengths); ``gait`` alternating-feet periodicity (0..1); ``stride_s`` the stride
    period it found (s, None without a gait); ``score`` the combined score (0..1); ``confidence`` how clearly this
    candidate beats the next best (0 = a tie .. 1 = nobody else close; 0 for all but the chosen one); ``close``
    whether that confidence is under ``close_confidence`` (the summary then names ``--person``)."""

    presence: float
    torso_px: float
    size: float
    travel_torso: float
    gait: float
    stride_s: float | None
    score: float
    confidence: float = 0.0
    close: bool = False

    def as_dict(self) -> dict[str, float | None]:
        return asdict(self)


def _fill_gaps(x: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly fill NaN runs of at most ``max_gap`` samples between finite ones (others stay NaN)."""
    out = x.copy()
    seen = np.flatnonzero(np.isfinite(x))
    for a, b in zip(seen[:-1], seen[1:], strict=True):
        if 1 < b - a <= max_gap + 1:
            out[a : b + 1] = np.linspace(x[a], x[b], b - a + 1)
    return out


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    best, start, best_ab = 0, None, (0, 0)
    for i, m in enumerate(np.append(mask, False)):
        if m and start is None:
            start = i
        elif not m and start is not None:
            if i - start > best:
                best, best_ab = i - start, (start, i)
            start = None
    return best_ab


def gait_periodicity(image: np.ndarray, fps: float, torso_px: float, cfg: AthleteConfig) -> tuple[float, float | None]:
    """(gait 0..1, stride period s or None) of one person's image landmarks ``[T, 33, 4]``.

    The left-minus-right ankle offset (px / torso length) projected on its main axis alternates sign every step;
    over the longest stretch seen (gaps up to ``cfg.max_fill_s`` filled) its autocorrelation ``r`` is taken at
    lags of ``cfg.stride_s`` (stride periods). gait = (r(P) - r(P/2)) / 2 at the best period P, scaled down when the
    offset swings less than ``cfg.gait_full_swing_torso`` (p90 - p10). Periods up to the stretch over
    ``cfg.min_strides`` are tried (a walker crossing a crop in 2 s shows 1.6 strides of 1.25 s)."""
    d = (image[:, LM.LEFT_ANKLE, :2] - image[:, LM.RIGHT_ANKLE, :2]).astype(np.float64) / max(torso_px, 1.0)
    fill = max(int(round(cfg.max_fill_s * fps)), 1)
    d = np.stack([_fill_gaps(d[:, 0], fill), _fill_gaps(d[:, 1], fill)], axis=1)
    a, b = _longest_run(np.isfinite(d).all(axis=1))
    lo, hi = int(np.floor(cfg.stride_s[0] * fps)), int(np.ceil(cfg.stride_s[1] * fps))
    if b - a < max(int(cfg.min_strides * lo), 4):
        return 0.0, None
    seg = d[a:b] - d[a:b].mean(axis=0)
    _, _, vt = np.linalg.svd(seg, full_matrices=False)
    s = seg @ vt[0]
    swing = float(np.percentile(s, 90) - np.percentile(s, 10))
    var = float(np.mean(s * s))
    if var <= 1e-12:
        return 0.0, None

    def r(lag: int) -> float:
        return float(np.mean(s[:-lag] * s[lag:]) / var) if 0 < lag < s.size else 0.0

    best, best_p = 0.0, None
    for p in range(max(lo, 2), min(hi, int(s.size / max(cfg.min_strides, 1.0))) + 1):
        g = (r(p) - r(max(p // 2, 1))) / 2.0
        if g > best:
            best, best_p = g, p
    best *= min(swing / cfg.gait_full_swing_torso, 1.0)
    return float(np.clip(best, 0.0, 1.0)), (best_p / fps if best_p else None)


def travel_torso(image: np.ndarray, background_px: np.ndarray, torso_px: float, window: int) -> float:
    """Ground covered steadily (torso lengths): the median over the frames seen of the hip midpoint's net
    displacement against the background over ``window`` frames, times the number of windows seen. A walker
    crossing the view scores the distance walked; someone who stands, waves and jumps once scores little (one
    burst does not move a median). ``background_px [T, 2]``: where a background point that started at (0, 0) is
    in each frame (px)."""
    hips = (image[:, LM.LEFT_HIP, :2] + image[:, LM.RIGHT_HIP, :2]).astype(np.float64) / 2 - background_px
    ok = np.isfinite(hips).all(axis=1)
    w = max(int(window), 1)
    if ok.sum() < 2 or hips.shape[0] <= w:
        return 0.0
    both = ok[:-w] & ok[w:]
    if not both.any():
        return 0.0
    step = np.linalg.norm(hips[w:][both] - hips[:-w][both], axis=1)
    return float(np.median(step) / max(torso_px, 1.0) * ok.sum() / w)


def median_torso_px(image: np.ndarray) -> float:
    """Median shoulder-mid to hip-mid length (px) over the frames seen; 1 px if never seen."""
    t = torso_lengths(image)
    t = t[np.isfinite(t)]
    return max(float(np.median(t)), 1.0) if t.size else 1.0


def background_track(shift_px: np.ndarray) -> np.ndarray:
    """Cumulative background position ``[T, 2]`` (px) from per-frame shifts (NaN shifts count as no motion)."""
    s = np.where(np.isfinite(shift_px), shift_px, 0.0)
    return np.cumsum(s, axis=0)


def presence_credit(seen_frames: float, n_frames: int, gait: float, fps: float, full_s: float) -> float:
    """Presence as evidence of being the athlete (0..1): the share of the clip seen, where seconds seen beyond the
    first ``full_s`` count only as far as the person shows a gait (x ``gait``, 0..1). Someone standing on a box
    for the whole clip earns no more than a walker who crosses in ``full_s``; a runner on a treadmill seen
    throughout earns it all, against someone who walks past."""
    if n_frames <= 0 or fps <= 0:
        return 0.0
    seen_s = seen_frames / fps
    credited = min(seen_s, full_s) + gait * max(seen_s - full_s, 0.0)
    return float(min(credited / (n_frames / fps), 1.0))


def choose(image: np.ndarray, shift_px: np.ndarray | None, fps: float, cfg: AthleteConfig) -> list[Evidence]:
    """Evidence for each candidate of ``image [P, T, 33, 4]`` (in that order). ``shift_px [T, 2]``: the
    background's shift per frame (None: a static camera). The score is the presence credit
    (:func:`presence_credit`)^presence_power x size^size_power x (a base + travel + gait, weighted; see
    :class:`formcheck.config.AthleteConfig`); the best one's ``confidence`` is 1 - second score / best score."""
    p, t = image.shape[:2]
    bg = background_track(shift_px) if shift_px is not None else np.zeros((t, 2))
    torsos = [median_torso_px(image[i]) for i in range(p)]
    largest = max(torsos) if torsos else 1.0
    weights = cfg.base_weight + cfg.travel_weight + cfg.gait_weight
    out = []
    for i in range(p):
        seen = np.isfinite(image[i, :, 0, 0])
        presence = float(seen.mean()) if t else 0.0
        size = torsos[i] / largest
        trav = travel_torso(image[i], bg, torsos[i], int(round(cfg.travel_window_s * fps)))
        gait, stride = gait_periodicity(image[i], fps, torsos[i], cfg)
        credit = presence_credit(float(seen.sum()), t, gait, fps, cfg.presence_full_s)
        moving = cfg.base_weight + cfg.travel_weight * min(trav / cfg.travel_full_torso, 1.0) + cfg.gait_weight * gait
        score = credit**cfg.presence_power * size**cfg.size_power * moving / weights
        out.append(Evidence(presence, torsos[i], size, trav, gait, stride, float(score)))
    return out


def rank(evidence: list[Evidence], close_confidence: float) -> tuple[list[int], list[Evidence]]:
    """Order of the candidates, best first, and their evidence in that order with the best one's confidence
    (``close`` when it is under ``close_confidence`` and someone else was found)."""
    order = sorted(range(len(evidence)), key=lambda i: (-evidence[i].score, -evidence[i].presence, i))
    ranked = [evidence[i] for i in order]
    if ranked:
        second = ranked[1].score if len(ranked) > 1 else None
        conf, close = choice_confidence(ranked[0].score, second, close_confidence)
        ranked[0] = replace(ranked[0], confidence=conf, close=close)
    return order, ranked


def choice_confidence(best: float, second: float | None, close_confidence: float) -> tuple[float, bool]:
    """How clearly a candidate scoring ``best`` is the athlete against the next best (``second``; None when nobody
    else was found): 1 - second / best (0..1, 0 when it does not lead), and whether that is under
    ``close_confidence`` with someone else found."""
    conf = max(1.0 - (second or 0.0) / best, 0.0) if best > 0 else 0.0
    return float(conf), second is not None and conf < close_confidence


def order_candidates(
    image: np.ndarray,
    world: np.ndarray,
    scores: np.ndarray,
    shift_px: np.ndarray | None,
    fps: float,
    cfg: AthleteConfig,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[dict, ...]]:
    """The tracker's candidates (``image``/``world [P, T, 33, 4]``, motion ``scores [P]``) reordered athlete
    first, with each one's evidence as a dict (in the new order)."""
    order, ranked = rank(choose(image, shift_px, fps, cfg), cfg.close_confidence)
    return image[order], world[order], scores[order], tuple(e.as_dict() for e in ranked)


def rerank_followed(
    image: np.ndarray, shift_px: np.ndarray | None, fps: float, cfg: AthleteConfig
) -> tuple[list[int], list[dict]]:
    """A close call looked at again: the two best candidates' landmarks followed on every frame with the full
    model (``image [2, T, 33, 4]``, ``shift_px [T, 2]`` the background's shift per frame, ``fps`` frames/s) ranked
    by the same evidence. Returns their order (best first) and their evidence in that order, each with
    ``followed_choice`` set."""
    order, ranked = rank(choose(image, shift_px, fps, cfg), cfg.close_confidence)
    return order, [{**e.as_dict(), "followed_choice": True} for e in ranked]


def candidate_fields(evidence: tuple[dict, ...], index: int) -> dict[str, float | bool | None]:
    """report.json's extra fields of candidate ``index``: its evidence (rounded) and ``confidence`` (None for pose
    files made before the athlete choice)."""
    if index >= len(evidence):
        return {"confidence": None}
    out: dict[str, float | bool | None] = {}
    for key, value in evidence[index].items():
        if isinstance(value, bool):
            out[key] = value
            continue
        ok = isinstance(value, (int, float)) and np.isfinite(value)
        out[key] = round(float(value), 3) if ok else None
    return out
