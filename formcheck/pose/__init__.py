"""Pose stage: model bundles, landmark extraction, the PoseSequence container, choosing the runner."""
