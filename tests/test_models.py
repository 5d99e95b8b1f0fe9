"""Pose model bundles: layout, hashes, lookup, errors, loading in PoseLandmarker, reproducible rebuild."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.errors import ModelError
from formcheck.pose import bundles, models
from formcheck.pose.bundles import DETECTOR_ENTRY, LANDMARKS_ENTRY, Archive, bundle_bytes, fetch_archive
from formcheck.pose.models import MODEL_SHA256, ensure_model, resolve_model

REPO_MODELS = Path(__file__).resolve().parents[1] / "models"
COMMITTED = ("lite", "full")


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No env override, an empty repo models folder and an empty cache: every lookup starts from nothing."""
    monkeypatch.delenv(models.MODELS_DIR_ENV, raising=False)
    monkeypatch.delenv(models.ALLOW_UNVERIFIED_ENV, raising=False)
    monkeypatch.setattr(models, "REPO_MODELS_DIR", tmp_path / "repo_models")
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _data_offsets(path: Path) -> dict[str, int]:
    """Offset of each entry's data, read from the local headers."""
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        offsets = {}
        for info in archive.infolist():
            start = info.header_offset
            assert raw[start : start + 4] == b"PK\x03\x04"
            name_len = int.from_bytes(raw[start + 26 : start + 28], "little")
            extra_len = int.from_bytes(raw[start + 28 : start + 30], "little")
            offsets[info.filename] = start + 30 + name_len + extra_len
    return offsets


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_bundle_matches_pinned_hash(name, monkeypatch):
    monkeypatch.delenv(models.MODELS_DIR_ENV, raising=False)
    path = REPO_MODELS / f"pose_landmarker_{name}.task"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == MODEL_SHA256[name]
    assert resolve_model(name) == path.resolve()


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_bundle_layout(name):
    path = REPO_MODELS / f"pose_landmarker_{name}.task"
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos] == [DETECTOR_ENTRY, LANDMARKS_ENTRY]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in infos)
        assert archive.testzip() is None  # CRCs are right
        assert archive.read(DETECTOR_ENTRY)[4:8] == b"TFL3"
        assert archive.read(LANDMARKS_ENTRY)[4:8] == b"TFL3"
    assert all(offset % 64 == 0 for offset in _data_offsets(path).values())


def test_all_pinned_hashes_are_sha256():
    assert set(MODEL_SHA256) == {"lite", "full", "heavy"}
    assert all(len(value) == 64 and int(value, 16) >= 0 for value in MODEL_SHA256.values())


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=0, max_size=300), st.binary(min_size=0, max_size=300))
def test_bundle_bytes_deterministic_and_aligned(tmp_path_factory, detector, landmarks):
    data = bundle_bytes(detector, landmarks)
    assert data == bundle_bytes(detector, landmarks)
    path = tmp_path_factory.mktemp("bundle") / "b.task"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        assert archive.read(DETECTOR_ENTRY) == detector
        assert archive.read(LANDMARKS_ENTRY) == landmarks
    assert all(offset % 64 == 0 for offset in _data_offsets(path).values())


def test_landmark_network_metadata_normalises_to_unit_range():
    bundles._import_metadata_writer()
    from mediapipe.tasks.python.metadata import metadata

    assert "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version" not in sys.modules
    with zipfile.ZipFile(REPO_MODELS / "pose_landmarker_lite.task") as archive:
        network = archive.read(LANDMARKS_ENTRY)
    info = json.loads(metadata.MetadataDisplayer.with_model_buffer(network).get_metadata_json())
    graph = info["subgraph_metadata"][0]
    options = graph["input_tensor_metadata"][0]["process_units"][0]["options"]
    assert options == {"mean": [0.0], "std": [255.0]}
    assert len(graph["output_tensor_metadata"]) == 5


def test_missing_bundle_names_the_fix(isolated):
    with pytest.raises(ModelError) as err:
        resolve_model("full")
    message = str(err.value)
    assert "pose_landmarker_full.task is missing" in message
    assert "python models/tools/build_models.py full" in message
    assert "\n" not in message
    assert err.value.exit_code == 4


def test_corrupted_bundle_is_refused(isolated, monkeypatch):
    env_dir = isolated / "env"
    env_dir.mkdir()
    bad = env_dir / "pose_landmarker_lite.task"
    data = bytearray((REPO_MODELS / "pose_landmarker_lite.task").read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the landmark network: still a valid zip layout
    bad.write_bytes(bytes(data))
    monkeypatch.setenv(models.MODELS_DIR_ENV, str(env_dir))
    with pytest.raises(ModelError) as err:
        resolve_model("lite")
    message = str(err.value)
    assert "corrupted" in message and "build_models.py lite" in message and "\n" not in message
    monkeypatch.setenv(models.ALLOW_UNVERIFIED_ENV, "1")
    assert resolve_model("lite") == bad


def test_not_a_zip_is_refused_even_when_unverified(isolated, monkeypatch):
    models.REPO_MODELS_DIR.mkdir()
    (models.REPO_MODELS_DIR / "pose_landmarker_full.task").write_bytes(b"<html>not found</html>")
    monkeypatch.setenv(models.ALLOW_UNVERIFIED_ENV, "1")
    with pytest.raises(ModelError, match="not a zip archive"):
        resolve_model("full")


def test_env_dir_comes_before_repo_dir(isolated, monkeypatch):
    env_dir = isolated / "env"
    for folder in (env_dir, models.REPO_MODELS_DIR):
        folder.mkdir()
        shutil.copy(REPO_MODELS / "pose_landmarker_lite.task", folder)
    assert resolve_model("lite") == models.REPO_MODELS_DIR / "pose_landmarker_lite.task"
    monkeypatch.setenv(models.MODELS_DIR_ENV, str(env_dir))
    assert resolve_model("lite") == env_dir / "pose_landmarker_lite.task"


def test_unknown_model_name(isolated):
    with pytest.raises(ModelError, match="unknown pose model"):
        resolve_model("medium")


def test_ensure_model_builds_missing_bundle_into_cache(isolated, monkeypatch):
    calls = []

    def fake_build(names, out_dir, downloads=None):
        calls.append((list(names), Path(out_dir)))
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_MODELS / "pose_landmarker_lite.task", out_dir)

    monkeypatch.setattr(bundles, "build_bundles", fake_build)
    with pytest.raises(ModelError, match="missing"):
        ensure_model("lite", build_missing=False)
    assert calls == []
    path = ensure_model("lite", build_missing=True)
    assert calls == [(["lite"], isolated / "cache" / "models")]
    assert path == isolated / "cache" / "models" / "pose_landmarker_lite.task"
    assert ensure_model("lite", build_missing=True) == path and len(calls) == 1  # found now: no rebuild


def test_fetch_archive_checks_hash_and_reuses_cache(tmp_path):
    payload = b"pretend archive"
    write = f"open('{{dest}}/a.bin', 'wb').write({payload!r})"
    good = Archive("a.bin", hashlib.sha256(payload).hexdigest(), (sys.executable, "-c", write))
    with pytest.raises(ModelError, match="SHA-256"):
        fetch_archive(Archive("a.bin", "0" * 64, good.command), tmp_path)
    assert not (tmp_path / "a.bin").exists()
    assert fetch_archive(good, tmp_path).read_bytes() == payload
    offline = Archive("a.bin", good.sha256, (sys.executable, "-c", "raise SystemExit(1)"))
    assert fetch_archive(offline, tmp_path) == tmp_path / "a.bin"  # cached: the command is not run
    with pytest.raises(ModelError, match="could not download"):
        fetch_archive(Archive("b.bin", good.sha256, offline.command), tmp_path)


def _drawn_figure(height: int = 480, width: int = 360) -> np.ndarray:
    """A flat cartoon of a standing person (RGB), enough for BlazePose to find the body."""
    import cv2

    img = np.full((height, width, 3), (200, 205, 210), np.uint8)
    img[int(height * 0.85) :] = (120, 110, 100)
    skin, shirt, pants, cx = (190, 150, 125), (40, 70, 160), (50, 50, 60), width // 2
    for side in (-1, 1):
        cv2.line(img, (cx + 22 * side, 270), (cx + 30 * side, 350), pants, 26, cv2.LINE_AA)
        cv2.line(img, (cx + 30 * side, 350), (cx + 32 * side, 430), pants, 22, cv2.LINE_AA)
        cv2.ellipse(img, (cx + 40 * side, 438), (20, 9), 0, 0, 360, (30, 30, 30), -1, cv2.LINE_AA)
    torso = np.array([[cx - 45, 120], [cx + 45, 120], [cx + 38, 280], [cx - 38, 280]], np.int32)
    cv2.fillConvexPoly(img, torso, shirt, cv2.LINE_AA)
    for side in (-1, 1):
        cv2.line(img, (cx + 48 * side, 128), (cx + 62 * side, 200), shirt, 22, cv2.LINE_AA)
        cv2.line(img, (cx + 62 * side, 200), (cx + 66 * side, 265), skin, 16, cv2.LINE_AA)
        cv2.circle(img, (cx + 66 * side, 272), 10, skin, -1, cv2.LINE_AA)
        cv2.circle(img, (cx + 10 * side, 70), 3, (30, 20, 20), -1, cv2.LINE_AA)
    cv2.line(img, (cx, 100), (cx, 122), skin, 20)
    cv2.ellipse(img, (cx, 72), (26, 33), 0, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, 50), (27, 16), 0, 180, 360, (40, 30, 20), -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, 90), (8, 3), 0, 0, 180, (120, 60, 60), -1, cv2.LINE_AA)
    cv2.line(img, (cx, 72), (cx - 2, 82), (150, 110, 90), 2)
    return img


@pytest.mark.parametrize("name", COMMITTED)
def test_bundle_loads_and_finds_a_person(name):
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(REPO_MODELS / f"pose_landmarker_{name}.task")),
        running_mode=vision.RunningMode.VIDEO,
        output_segmentation_masks=True,
    )
    figure = _drawn_figure()
    blank = np.full_like(figure, 128)
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        empty = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=blank), 0)
        assert empty.pose_landmarks == []
        for t_ms in range(40, 400, 40):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=figure)
            result = landmarker.detect_for_video(image, t_ms)
    assert len(result.pose_landmarks) == 1
    pts = np.array([(p.x * 360, p.y * 480) for p in result.pose_landmarks[0]])
    assert np.hypot(*(pts[0] - (180, 80))) < 15  # nose on the drawn face
    assert pts[11][0] > pts[12][0]  # the figure faces the camera: its left shoulder is on image right
    assert pts[[11, 12], 1].max() < pts[[23, 24], 1].min() < pts[[27, 28], 1].min()  # shoulders, hips, ankles
    assert 400 < pts[[27, 28], 1].mean() < 450
    mask = result.segmentation_masks[0].numpy_view()
    assert mask.shape[:2] == (480, 360) and mask[200, 180] > 0.5 > mask[200, 20]


@pytest.mark.slow
def test_rebuild_from_registries_is_byte_identical(tmp_path):
    built = bundles.build_bundles(COMMITTED, tmp_path)  # downloads once into the user cache, then reuses it
    for name in COMMITTED:
        assert built[name].read_bytes() == (REPO_MODELS / f"pose_landmarker_{name}.task").read_bytes()
