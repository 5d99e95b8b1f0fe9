"""Synthetic athletes: rendered running clips (backward by default) with exact ground truth.

The body is the CC0 MakeHuman / MPFB2 mesh, rig and skinning weights (``data/``, see ``data/LICENSE-CC0.md``).
:func:`generate_clip` turns :class:`SynthParams` into an H.264 mp4 plus ``<name>.truth.json`` beside it.
"""

from formcheck.synth.params import Segment, SynthParams

__all__ = ["SynthParams", "Segment", "generate_clip", "Truth"]


def __getattr__(name: str):  # lazy: keep ``import formcheck.synth`` cheap
    if name in ("generate_clip", "Truth"):
        from formcheck.synth import generate, truth

        return {"generate_clip": generate.generate_clip, "Truth": truth.Truth}[name]
    raise AttributeError(name)
