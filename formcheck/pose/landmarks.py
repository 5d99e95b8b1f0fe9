"""MediaPipe Pose (BlazePose) landmark indices: the 33-point topology every stage shares."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

N_LANDMARKS = 33


class LM(IntEnum):
    """Landmark index in a ``[.., 33, 4]`` array (MediaPipe PoseLandmarker order)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


_TRUNK: tuple[tuple[int, int], ...] = (
    (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    (LM.LEFT_HIP, LM.RIGHT_HIP),
    (LM.LEFT_SHOULDER, LM.LEFT_HIP),
    (LM.RIGHT_SHOULDER, LM.RIGHT_HIP),
)
_HEAD: tuple[tuple[int, int], ...] = ((LM.NOSE, LM.LEFT_EAR), (LM.NOSE, LM.RIGHT_EAR))
_ARMS: tuple[tuple[int, int], ...] = (
    (LM.LEFT_SHOULDER, LM.LEFT_ELBOW),
    (LM.LEFT_ELBOW, LM.LEFT_WRIST),
    (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW),
    (LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
)
_LEGS: tuple[tuple[int, int], ...] = (
    (LM.LEFT_HIP, LM.LEFT_KNEE),
    (LM.LEFT_KNEE, LM.LEFT_ANKLE),
    (LM.LEFT_ANKLE, LM.LEFT_HEEL),
    (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX),
    (LM.LEFT_ANKLE, LM.LEFT_FOOT_INDEX),
    (LM.RIGHT_HIP, LM.RIGHT_KNEE),
    (LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    (LM.RIGHT_ANKLE, LM.RIGHT_HEEL),
    (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX),
    (LM.RIGHT_ANKLE, LM.RIGHT_FOOT_INDEX),
)
#: Bones drawn as the skeleton: pairs of landmark indices.
SKELETON_EDGES: tuple[tuple[int, int], ...] = _TRUNK + _ARMS + _LEGS + _HEAD
#: The same bones by body part (the trunk with the head), e.g. coloured by the verdict on that part.
BODY_PARTS: dict[str, tuple[tuple[int, int], ...]] = {"trunk": _TRUNK + _HEAD, "arms": _ARMS, "legs": _LEGS}

#: Landmarks whose name starts with LEFT_ paired with their RIGHT_ twin (for swap detection/correction).
LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (int(m), int(LM[m.name.replace("LEFT_", "RIGHT_")])) for m in LM if m.name.startswith("LEFT_")
)


def shoulder_and_hip_midpoints(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shoulder and hip midpoints ``[..., 2]`` (px) of landmarks ``xy [..., 33, >=2]``."""
    sh = (xy[..., LM.LEFT_SHOULDER, :2] + xy[..., LM.RIGHT_SHOULDER, :2]) / 2
    hp = (xy[..., LM.LEFT_HIP, :2] + xy[..., LM.RIGHT_HIP, :2]) / 2
    return sh, hp


def torso_lengths(xy: np.ndarray) -> np.ndarray:
    """Shoulder-midpoint to hip-midpoint length (px) of landmarks ``xy [..., 33, >=2]``: ``[...]`` (NaN where a
    shoulder or a hip is unknown)."""
    sh, hp = shoulder_and_hip_midpoints(xy)
    return np.linalg.norm(sh - hp, axis=-1)
