"""Running shoes on the synthetic athlete: the bare MakeHuman foot gets a midsole and a slightly longer, wider
toe box, so the figure stands on a shoe sole like a real runner (and the sole line shows the foot's angle).

The shoe is a deformation of the foot's own vertices (no new faces): below ankle height the foot is stretched
down by the sole thickness (thicker at the heel, a heel-to-toe drop as in most running shoes), the toe box is
lengthened and the forefoot widened a little. The whole body is then raised so the soles sit on the floor
again; bones and landmarks are raised with it (the heel / foot-index landmarks stay where the foot's own are, so
the foot angle they define is unchanged). Faces of the foot with every corner at or below :data:`SOLE_TOP_M`
are the sole (drawn in a contrasting colour by the renderer).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from formcheck.synth.body import Body, load_body

SOLE_HEEL_M = 0.030  # midsole + outsole under the heel, metres (typical running shoe: 25-35 mm)
SOLE_TOE_M = 0.020  # under the forefoot (a 10 mm drop)
TOE_EXTRA_M = 0.014  # the toe box reaches this far beyond the toes
HEEL_EXTRA_M = 0.018  # the heel counter sticks out behind the heel (most at the sole, none at the collar)
WIDEN = 0.10  # forefoot widened by this fraction about the foot's centre line
FADE_TOP_M = 0.075  # the stretch fades out at this height of the bare foot (below the ankle joint)
#: Faces of the foot whose centroid is below this height (shod rest pose, soles at 0) form the sole.
SOLE_TOP_M = SOLE_HEEL_M + 0.006
SNAP_M = 0.007  # foot vertices this close to the top of the sole are moved onto it (a straight sole edge)


def put_on_shoes(body: Body) -> Body:
    """A copy of ``body`` wearing running shoes (see the module docstring), soles on the floor (y = 0)."""
    v = body.vertices_m.copy()
    for side in "LR":
        wf = body.weights[:, body.bone(f"foot.{side}")].astype(np.float64)
        rigid = wf >= 0.9
        heel_z, toe_z = float(v[rigid, 2].min()), float(v[rigid, 2].max())
        centre_x = float(np.median(v[rigid, 0]))
        idx = np.flatnonzero((wf > 0.05) & (v[:, 1] < FADE_TOP_M + 0.02))
        x, y, z = v[idx, 0], v[idx, 1], v[idx, 2]
        w = wf[idx]
        u = np.clip((z - heel_z) / (toe_z - heel_z), 0.0, 1.0)
        fade = np.clip(1.0 - y / FADE_TOP_M, 0.0, 1.0) * w
        thick = SOLE_HEEL_M + (SOLE_TOE_M - SOLE_HEEL_M) * np.clip((u - 0.15) / 0.6, 0.0, 1.0)
        v[idx, 1] = y - thick * fade
        v[idx, 2] = (
            z
            + TOE_EXTRA_M * np.clip((u - 0.55) / 0.45, 0.0, 1.0) ** 1.5 * w
            - HEEL_EXTRA_M * np.clip((0.25 - u) / 0.25, 0.0, 1.0) * w * np.clip(1.0 - y / FADE_TOP_M, 0.0, 1.0)
        )
        v[idx, 0] = x + (x - centre_x) * WIDEN * np.clip((u - 0.3) / 0.4, 0.0, 1.0) * fade
    lift = -float(v[:, 1].min())
    up = np.array([0.0, lift, 0.0])
    # a crisp top edge of the midsole: foot vertices close to it are moved onto it
    for side in "LR":
        wf = body.weights[:, body.bone(f"foot.{side}")]
        near = (wf > 0.5) & (np.abs(v[:, 1] + lift - SOLE_TOP_M) < SNAP_M)
        v[near, 1] = SOLE_TOP_M - lift
    return Body(
        vertices_m=v + up,
        quads=body.quads,
        bone_names=body.bone_names,
        bone_parent=body.bone_parent,
        bone_head_m=body.bone_head_m + up,
        bone_tail_m=body.bone_tail_m + up,
        weights=body.weights,
        landmark_bone=body.landmark_bone,
        landmark_rest_m=body.landmark_rest_m + up,
    )


@lru_cache(maxsize=1)
def load_shod_body() -> Body:
    """The bundled body wearing running shoes (cached)."""
    return put_on_shoes(load_body())
