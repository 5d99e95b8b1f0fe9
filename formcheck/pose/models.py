"""Find the PoseLandmarker ``.task`` bundles and verify them every time they are loaded.

Lookup order for ``pose_landmarker_<name>.task``: ``$FORMCHECK_MODELS_DIR``, the repository's ``models/``
folder (next to the package; the install is editable), then formcheck's user cache (``<cache>/models``, where
``ensure_model`` builds missing bundles, e.g. heavy, which is not committed). The first file found is used and
must have the SHA-256 in ``MODEL_SHA256`` (the reproducible build of ``formcheck.pose.bundles``), unless
``FORMCHECK_ALLOW_UNVERIFIED_MODELS=1`` is set to allow other bundles such as Google's official ones.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import formcheck
from formcheck.errors import ModelError
from formcheck.pose.bundles import (
    DETECTOR_ENTRY,
    LANDMARKS_ENTRY,
    MODEL_NAMES,
    bundle_filename,
    cache_dir,
    sha256_file,
)

MODEL_SHA256: dict[str, str] = {
    "lite": "05e2c49114d1f969491ab09b4a85e58b2728527b9df1932e9db89933936d381e",
    "full": "527d484075061191728a48ccd763b34a8ac0826b5c60709eda147c2ffde65b74",
    "heavy": "d9bd46ae9f45ab2961cc134bccc0adf0994c211bce2f5a7399a7d9af9f069722",
}
ALLOW_UNVERIFIED_ENV = "FORMCHECK_ALLOW_UNVERIFIED_MODELS"
MODELS_DIR_ENV = "FORMCHECK_MODELS_DIR"
REPO_MODELS_DIR = Path(formcheck.__file__).resolve().parents[1] / "models"


def search_dirs() -> list[Path]:
    """Folders searched for bundles, in order."""
    dirs = [Path(os.environ[MODELS_DIR_ENV]).expanduser()] if os.environ.get(MODELS_DIR_ENV) else []
    return [*dirs, REPO_MODELS_DIR, cache_dir() / "models"]


def _fix(name: str) -> str:
    return f"run `python models/tools/build_models.py {name}`"


def _check_name(name: str) -> None:
    if name not in MODEL_NAMES:
        raise ModelError(f"unknown pose model {name!r}: choose one of {', '.join(MODEL_NAMES)}")


def verify_bundle(path: Path, name: str) -> Path:
    """Check that ``path`` is a stored two-network bundle with the expected SHA-256; return it."""
    problem = _problem(path, name)
    if problem:
        raise ModelError(f"model bundle {path} {problem}")
    return path


def _problem(path: Path, name: str) -> str | None:
    """What is wrong with a bundle, or None. It hashes on every call (~10 ms for full, ~40 for heavy)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
    except (OSError, zipfile.BadZipFile):
        return f"is not a zip archive: {_fix(name)}"
    if set(infos) < {DETECTOR_ENTRY, LANDMARKS_ENTRY}:
        return f"lacks {DETECTOR_ENTRY} or {LANDMARKS_ENTRY}: {_fix(name)}"
    if any(info.compress_type != zipfile.ZIP_STORED for info in infos.values()):
        return f"is compressed (MediaPipe needs stored entries): {_fix(name)}"
    if _allow_unverified():
        return None
    actual = sha256_file(path)
    if actual != MODEL_SHA256[name]:
        return (
            f"is corrupted or not formcheck's build (SHA-256 {actual[:12]}..., expected "
            f"{MODEL_SHA256[name][:12]}...): {_fix(name)}, or set {ALLOW_UNVERIFIED_ENV}=1 to use it anyway"
        )
    return None


def _allow_unverified() -> bool:
    return os.environ.get(ALLOW_UNVERIFIED_ENV, "").strip().lower() in {"1", "true", "yes"}


def resolve_model(name: str) -> Path:
    """Path of the verified ``pose_landmarker_<name>.task``; ModelError if missing or corrupted."""
    _check_name(name)
    filename = bundle_filename(name)
    for folder in search_dirs():
        if (folder / filename).is_file():
            return verify_bundle(folder / filename, name)
    looked = ", ".join(str(folder) for folder in search_dirs())
    raise ModelError(f"model bundle {filename} is missing (looked in {looked}): {_fix(name)}")


def ensure_model(name: str, build_missing: bool) -> Path:
    """Like ``resolve_model``, but if the bundle is missing and ``build_missing``, build it into the cache.

    Building downloads the pinned mediapipe wheel (pip) and @mediapipe/pose tarball (npm) once, into the
    cache.
    """
    _check_name(name)
    try:
        return resolve_model(name)
    except ModelError:
        if not build_missing or any((folder / bundle_filename(name)).is_file() for folder in search_dirs()):
            raise
    from formcheck.pose.bundles import build_bundles

    build_bundles([name], cache_dir() / "models")
    return resolve_model(name)
