"""Gait events per foot: initial contact and toe-off, debounced, from the foot's height above the ground.

Height: the lower of heel and foot index, each (image y, px) against its own ground level (a running 95th percentile
of its y over ``ground_window_s``: the foot rests on the ground for a large share of every stride; one level per
landmark, so a foot index that MediaPipe puts a few px below the heel on a flat foot does not set the ground under a
landed heel), divided by the leg length (hip to ankle, px) so thresholds hold at any image scale. A contact is armed
once the foot is in the air (higher than ``airborne_leg``) and fires at the first frame it comes within
``contact_leg`` of the ground, or within ``settle_leg`` with its descent stopped; it is then refined to the impact,
the peak of the foot's vertical deceleration (Fellin et al. 2010: contact where the heel's vertical velocity turns
from down to ~0) while the foot is no higher than ``airborne_leg``, to sub-frame time. Frames where the foot is
unknown disarm the detector (a contact needs the foot seen in the air first). Toe-off is the last frame before the
foot rises above ``toe_off_leg`` again (with the sweep below, where the foot never reads down after the contact:
where it is furthest back). Works with a panning camera as long as it does not tilt (the ground stays at one image
height).

Given the direction of travel per frame, the contacts are then checked against the foot's sweep relative to the
pelvis (analysis/landing.py): one landing per stride, where the foot is furthest toward the travel direction; a
height contact no landing explains is dropped, a landing the height missed is added.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import percentile_filter

from formcheck.analysis.landing import reconcile, sweep_landings, sweep_leg
from formcheck.analysis.types import CleanPose, Foot
from formcheck.config import EventsConfig
from formcheck.pose.landmarks import LM

FEET: dict[str, tuple[int, int]] = {
    "left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX)),
    "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX)),
}


def leg_length_px(pose: CleanPose, percentile: float) -> float | None:
    """Leg length (px): the ``percentile`` of the hip -> ankle distance over frames and both legs, i.e. the leg
    nearly straight as when standing (the median reads short: a running leg is bent most of the time; synthetic
    step lengths read 17% long with it). None when never measurable."""
    xy = pose.xy
    if pose.n_frames == 0:
        return None
    d = np.linalg.norm(xy[:, [LM.LEFT_HIP, LM.RIGHT_HIP]] - xy[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]], axis=2)
    d = d[np.isfinite(d)]
    if not d.size:
        return None
    v = float(np.percentile(d, percentile))
    return v if v > 1.0 else None


def foot_height_leg(pose: CleanPose, foot: Foot, leg_px: float, ground_window_s: float) -> np.ndarray:
    """Per frame height (leg lengths) of the foot's lowest point: the lower of heel and foot index, each above its own
    ground level; NaN where unknown."""
    heel, toe = FEET[foot]
    hh = landmark_height_leg(pose.xy[:, heel, 1], pose.fps, leg_px, ground_window_s)
    ht = landmark_height_leg(pose.xy[:, toe, 1], pose.fps, leg_px, ground_window_s)
    return np.fmin(hh, ht)


def landmark_height_leg(y: np.ndarray, fps: float, leg_px: float, window_s: float) -> np.ndarray:
    """Height (leg lengths) of one landmark above its own ground level (running 95th percentile of its image y over
    ``window_s``); NaN where unknown."""
    ok = np.isfinite(y)
    if not ok.any():
        return np.full(y.shape, np.nan)
    size = max(int(round(window_s * fps)) | 1, 3)
    ground = percentile_filter(np.where(ok, y, np.nanmedian(y)), 95, size=size, mode="nearest")
    return np.where(ok, (ground - y) / leg_px, np.nan)


class ContactDetector:
    """Detect initial contacts and toe-offs of one foot.

    Parameters (``[events]`` of the config): ``contact_leg`` height at or below which the foot is on the ground
    (leg lengths);
    ``airborne_leg`` height above which it is in the air, re-arming the next contact (leg lengths);
    ``toe_off_leg`` height whose up-crossing ends the stance (leg lengths); ``min_stance_s`` shortest stance (s: a
    toe-off sooner after its contact is not seen, -1); ``min_stride_s`` shortest time
    between two contacts of the same foot (s, debounce); ``ground_window_s`` window of the ground level (s);
    ``landing_sweep_leg`` least sweep of the foot relative to the pelvis on each side of a landing (leg lengths);
    ``landing_match_s`` how far before and after the sweep's landing a height contact may lie to be it (s);
    ``impact_first_share`` searching the impact of a toe-first landing (foot pitched toes down over
    ``forefoot_min_deg`` at the height contact) from the landing on, the first deceleration peak at least this
    share of the largest is the initial contact (0..1).
    After :meth:`detect`: ``contacts_`` and ``toe_offs_`` (frame indices; toe-off -1 when not seen), ``impact_``
    (sub-frame impact position, frames, float), ``down_``
    (per contact, the first frame the foot is within ``contact_leg`` of the ground: where the foot angle at contact
    is read, the foot landmarks being steadiest once the foot is down), ``height_``, ``dropped_`` (how many height
    contacts the landing check dropped as no landing, count; 0 without ``travel``).
    """

    def __init__(self, cfg: EventsConfig) -> None:
        self.settle_leg = cfg.settle_leg
        self.refine_s = cfg.refine_s
        self.contact_leg = cfg.contact_leg
        self.airborne_leg = cfg.airborne_leg
        self.toe_off_leg = cfg.toe_off_leg
        self.min_stance_s = cfg.min_stance_s
        self.min_stride_s = cfg.min_stride_s
        self.ground_window_s = cfg.ground_window_s
        self.min_visibility = cfg.contact_min_visibility
        self.landing_sweep_leg = cfg.landing_sweep_leg
        self.landing_match_s = cfg.landing_match_s
        self.impact_first_share = cfg.impact_first_share
        self.toe_first_deg = cfg.forefoot_min_deg
        self.max_pitch_deg = cfg.contact_max_pitch_deg

    def detect(self, pose: CleanPose, foot: Foot, leg_px: float, travel: np.ndarray | None = None) -> ContactDetector:
        """Find the events of ``foot``; returns self with ``contacts_``, ``toe_offs_`` and ``height_`` set.
        ``travel``: per frame +1 travelling toward image +x, -1 toward -x, 0 standing or unknown; with it the
        contacts are checked against the landings of the foot's sweep (:meth:`_check_landings`)."""
        h = foot_height_leg(pose, foot, leg_px, self.ground_window_s)
        self.height_ = h
        min_gap = max(int(round(self.min_stride_s * pose.fps)), 1)
        # a contact never fires on a frame where the foot's landmarks are poorly visible: the far foot hidden
        # behind the near leg collapses onto the stance foot for a frame or two and reads as down
        seen = pose.conf[:, list(FEET[foot])].mean(axis=1) >= self.min_visibility
        contacts: list[int] = []
        toe_offs: list[int] = []
        airborne = False
        last = -(10**9)
        # checked against the sweep's landings, every trigger is a candidate: a false one (a swing foot dipping)
        # must not hold off the true landing that follows; the debounce applies to what the check keeps
        checked = travel is not None and bool(np.any(np.asarray(travel) != 0))
        gap = 1 if checked else min_gap
        # nor where the foot is pitched toes down more steeply than any landing: a far foot's toe misread low while
        # its heel is still in the air reads as down on its own ground level
        steep = foot_pitch_deg(pose, foot) > self.max_pitch_deg
        for i, v in enumerate(h):
            if not np.isfinite(v):
                airborne = False  # unknown: wait to see the foot in the air again
                continue
            if v > self.airborne_leg:
                airborne = True
            elif (
                airborne
                and seen[i]
                and not steep[i]
                and i - last >= gap
                and (v <= self.contact_leg or self._settled(h, i))
            ):
                contacts.append(i)
                last = i
                airborne = False
        impact = [self._refine(h, c, pose.fps) for c in contacts]
        downs = list(contacts)
        self.dropped_ = 0
        u = sweep_leg(pose, foot, travel, leg_px) if checked and travel is not None else None
        if u is not None and travel is not None:
            other = sweep_leg(pose, "right" if foot == "left" else "left", travel, leg_px)
            toe_first = _toe_first(pose, foot, self.toe_first_deg)
            contacts, impact, downs = self._check_landings(u, other, h, toe_first, pose.fps, seen, contacts, impact)
        contacts, impact, downs = _debounced(contacts, impact, downs, min_gap)
        self.down_ = np.asarray(downs, dtype=np.int64)
        # the contact frame is the first frame at or after the impact (the first frame showing the foot down)
        contacts = [min(int(np.ceil(x - 1e-9)), c) for x, c in zip(impact, contacts, strict=True)]
        self.impact_ = np.asarray(impact, dtype=np.float64)
        for k, c in enumerate(contacts):
            end = contacts[k + 1] if k + 1 < len(contacts) else len(h)
            off = -1
            for i in range(c + 1, end):
                if np.isfinite(h[i]) and h[i] > self.toe_off_leg:
                    off = i - 1
                    break
            if off == c and u is not None:
                off = _push_off(u, c, end)
            if 0 <= off < c + self.min_stance_s * pose.fps:  # no running stance is that short: not a toe-off
                off = -1
            toe_offs.append(off)
        self.contacts_ = np.asarray(contacts, dtype=np.int64)
        self.toe_offs_ = np.asarray(toe_offs, dtype=np.int64)
        return self

    def _check_landings(
        self,
        u: np.ndarray,
        other: np.ndarray,
        h: np.ndarray,
        toe_first: np.ndarray,
        fps: float,
        seen: np.ndarray,
        contacts: list[int],
        impact: list[float],
    ) -> tuple[list[int], list[float], list[int]]:
        """The height contacts (frames, sub-frame impacts) checked against the landings of the foot's sweep ``u``
        relative to the pelvis (analysis/landing.py, leg lengths per frame; ``other``: the other foot's):
        (contact frames, impacts, first frames down). A contact no landing explains is dropped (counted in
        ``dropped_``) where the sweep is known from ``min_stride_s`` before its window (``landing_match_s``) to
        after it. A landing with no height contact near is added (down and impact at the landing) when the foot is
        seen there, its sweep is known over the ``min_stride_s`` before it (the foot seen arriving), and it lands at
        least ``landing_sweep_leg`` ahead of the other foot (a landing opens a step; a foot whose landmarks
        collapsed onto the other foot's, as when it leaves the picture, does not)."""
        before, after = (x * fps for x in self.landing_match_s)
        w = max(int(round(max(before, after))), 1)
        gap = max(int(round(self.min_stride_s * fps)), 1)
        land, sub = sweep_landings(u, gap, self.landing_sweep_leg)
        ok = np.isfinite(u)
        # a contact is judged where the sweep could have shown its landing: known from a stride before it
        judged = {
            k
            for k, c in enumerate(contacts)
            if c - w - gap >= 0 and c + w < u.size and ok[c - w - gap : c + w + 1].all()
        }
        kept, at, added = reconcile(np.asarray(impact), sub, before, after)
        impact = list(impact)
        for i, z in zip(kept, at, strict=True):
            # a foot landing toes first touches at or after the landing (once down it moves back against the
            # travel) and reads down on height only once the heel is down too (a toe-first walking landing): the
            # impact is searched from the landing on. A foot down heel first (not pitched toes down at the height
            # contact) is left alone: the height times it (a runner's heel touches down well after the foot is
            # furthest forward)
            back = int(contacts[i] - np.floor(sub[z]))
            if back > int(round(self.refine_s * fps)) and toe_first[contacts[i]]:
                impact[i] = self._refine(h, contacts[i], fps, back)
        ahead = u[land] - other[land]
        opens = ~(np.isfinite(ahead) & (ahead < self.landing_sweep_leg))
        # a landing the height missed is added only when the foot is seen arriving (its swing of a stride before)
        swung = [bool(z >= gap and ok[z - gap : z + 1].all()) for z in land]
        added = np.asarray([i for i in added if seen[land[i]] and opens[i] and swung[i]], np.int64)
        # a contact that is a landing stays; one that is none is dropped only where the sweep could have shown it
        keep = set(range(len(contacts))) - judged | {int(i) for i in kept}
        self.dropped_ = len(contacts) - len(keep)
        rows = [(contacts[k], impact[k], contacts[k]) for k in keep]
        rows += [(int(land[i]), float(min(sub[i], land[i])), int(land[i])) for i in added]
        rows.sort()
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    def _settled(self, h: np.ndarray, i: int) -> bool:
        """The foot at frame ``i`` is low (within ``settle_leg``) and has stopped descending: its vertical velocity
        turned from down to about zero. Catches contacts where the ground level reads a little low (a noisy toe
        landmark pulls the ground percentile down) and the foot never comes within ``contact_leg``."""
        if h[i] > self.settle_leg or i + 1 >= h.size or not np.isfinite(h[i + 1]):
            return False
        return bool(h[i + 1] >= h[i] - 0.1 * self.contact_leg)

    def _refine(self, h: np.ndarray, c: int, fps: float, back_frames: int | None = None) -> float:
        """The contact frame refined to where the foot's descent stops: the peak of its vertical deceleration
        (second difference of the height) within ``refine_s`` (or ``back_frames``) before the threshold crossing
        ``c``. The low-pass filter spreads the impact over a few frames, so the height reaches ``contact_leg``
        late, most at 60 fps and on small figures; the deceleration peak stays centred on the impact."""
        k = int(round(self.refine_s * fps)) if back_frames is None else back_frames
        lo = max(c - k, 1)
        if k < 1 or c + 1 >= h.size:
            return float(c)
        seg = h[lo - 1 : c + 2]
        if not np.all(np.isfinite(seg)):
            return float(c)
        acc = seg[2:] - 2 * seg[1:-1] + seg[:-2]  # at frames lo .. c
        i = int(np.argmax(acc))
        if back_frames is not None:
            # searched from the landing on: a foot touching down twice (toe then heel, heel then forefoot)
            # decelerates twice, and the initial contact is the first of them; a foot still in the air (above
            # ``airborne_leg``) touches nothing: a peak there is landmark jitter
            peaks = [
                j
                for j in range(acc.size)
                if _is_peak(acc, j) and acc[j] >= self.impact_first_share * acc[i] and h[lo + j] <= self.airborne_leg
            ]
            i = peaks[0] if peaks and acc[i] > 0 else i
        frac = 0.0
        if 0 < i < acc.size - 1:  # parabola through the peak and its neighbours: sub-frame impact time
            den = acc[i - 1] - 2 * acc[i] + acc[i + 1]
            frac = float(np.clip(0.5 * (acc[i - 1] - acc[i + 1]) / den, -0.5, 0.5)) if den < 0 else 0.0
        return float(min(lo + i + frac, c))


def foot_pitch_deg(pose: CleanPose, foot: Foot) -> np.ndarray:
    """Per frame: the foot's pitch in the image (deg, + toes down), heel -> foot index against the horizontal
    whichever way the foot points (a side view); NaN where unknown."""
    heel, toe = FEET[foot]
    d = pose.xy[:, toe] - pose.xy[:, heel]
    return np.degrees(np.arctan2(d[:, 1], np.abs(d[:, 0])))  # image y grows downward: + toe lower


def _toe_first(pose: CleanPose, foot: Foot, min_deg: float) -> np.ndarray:
    """bool[T]: the foot points toes down by more than ``min_deg`` (deg) in the image (False where unknown)."""
    ang = foot_pitch_deg(pose, foot)
    return np.isfinite(ang) & (ang > min_deg)


def _is_peak(x: np.ndarray, j: int) -> bool:
    """``x[j]`` is a local maximum (not below its neighbours; the ends compare with their one neighbour)."""
    return (j == 0 or x[j] >= x[j - 1]) and (j == x.size - 1 or x[j] >= x[j + 1])


def _push_off(u: np.ndarray, c: int, end: int) -> int:
    """Toe-off of the contact at frame ``c`` from the sweep ``u`` (leg lengths per frame): the frame before ``end``
    (the next contact) where the foot is furthest back against the travel direction (Zeni et al. 2008: toe-off at
    the opposite extreme to the landing); ``c`` when the sweep is unknown there."""
    seg = u[c + 1 : end]
    if not np.isfinite(seg).any():
        return c
    return c + 1 + int(np.nanargmin(seg))


def _debounced(
    contacts: list[int], impact: list[float], downs: list[int], min_gap: int
) -> tuple[list[int], list[float], list[int]]:
    """The contacts (sorted frames, with their impacts and first frames down) without any that follows the previous
    kept one by less than ``min_gap`` frames."""
    out: tuple[list[int], list[float], list[int]] = ([], [], [])
    for c, x, d in zip(contacts, impact, downs, strict=True):
        if out[0] and c - out[0][-1] < min_gap:
            continue
        out[0].append(c)
        out[1].append(x)
        out[2].append(d)
    return out
