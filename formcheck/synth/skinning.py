"""Forward kinematics and linear blend skinning of the :class:`~formcheck.synth.body.Body`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.body import Body


@dataclass(frozen=True)
class Pose:
    """A posed skeleton in world coordinates: each bone's rotation and where its head (joint) is.

    ``rot`` float [B, 3, 3] maps rest-frame directions to world; ``head_m`` float [B, 3] world joint
    positions.
    A rest point ``p`` attached to bone ``b`` is at ``rot[b] @ (p - rest_head[b]) + head_m[b]``.
    """

    rot: np.ndarray
    head_m: np.ndarray


def forward_kinematics(
    body: Body,
    root_rot: np.ndarray,
    root_head_m: np.ndarray,
    local: dict[int, np.ndarray] | None = None,
    world: dict[int, np.ndarray] | None = None,
) -> Pose:
    """Compose bone rotations down the hierarchy.

    ``local[b]`` is bone b's rotation relative to its parent (identity when absent); ``world[b]`` overrides it
    with an absolute world rotation (how the IK'd legs and arms are set). Joint positions follow the parents.
    """
    local = local or {}
    world = world or {}
    nb = len(body.bone_names)
    rot = np.empty((nb, 3, 3))
    head = np.empty((nb, 3))
    rest = body.bone_head_m
    eye = np.eye(3)
    for b in range(nb):
        p = body.bone_parent[b]
        if p < 0:
            rot[b], head[b] = root_rot, root_head_m
            continue
        rot[b] = world[b] if b in world else rot[p] @ local.get(b, eye)
        head[b] = rot[p] @ (rest[b] - rest[p]) + head[p]
    return Pose(rot=rot, head_m=head)


def bone_points(body: Body, pose: Pose, bones: np.ndarray, rest_points_m: np.ndarray) -> np.ndarray:
    """World positions [K, 3] of rest points rigidly attached to ``bones`` [K]."""
    r = pose.rot[bones]
    return np.einsum("kij,kj->ki", r, rest_points_m - body.bone_head_m[bones]) + pose.head_m[bones]


def skin(body: Body, pose: Pose) -> np.ndarray:
    """World vertex positions [N, 3] by linear blend skinning (the 4 strongest weights per vertex)."""
    # Per-bone affine transform [B, 12]: x -> R x + (head - R rest_head).
    t = pose.head_m - np.einsum("bij,bj->bi", pose.rot, body.bone_head_m)
    aff = np.concatenate([pose.rot, t[:, :, None]], axis=2).reshape(len(t), 12).astype(np.float32)
    idx, w = body.weight_index, body.weight_value
    m = aff[idx[:, 0]] * w[:, 0:1]
    for k in range(1, idx.shape[1]):
        m += aff[idx[:, k]] * w[:, k : k + 1]
    v = body.vertices_f32
    x, y, z = v[:, 0:1], v[:, 1:2], v[:, 2:3]
    return np.concatenate(
        [
            m[:, 0:1] * x + m[:, 1:2] * y + m[:, 2:3] * z + m[:, 3:4],
            m[:, 4:5] * x + m[:, 5:6] * y + m[:, 6:7] * z + m[:, 7:8],
            m[:, 8:9] * x + m[:, 9:10] * y + m[:, 10:11] * z + m[:, 11:12],
        ],
        axis=1,
    )
