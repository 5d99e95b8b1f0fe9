"""Plain-words messages and tips per rule and verdict (the only place rule wording lives)."""

from __future__ import annotations

_NA = "Film from the side, with the whole body in view, for a few seconds of backward running."

TIPS: dict[str, dict[str, str]] = {
    "upright_posture": {
        "ok": "Keep your chest tall and slightly forward, as you do now.",
        "warn": "Stand tall with your shoulders over your hips, a touch forward; don't lean back.",
        "fail": "Stop leaning back: bring your shoulders over your hips with a slight forward lean to avoid falls.",
        "warn_forward": "Stand a little taller: shoulders over the hips, only slightly forward.",
        "fail_forward": "Don't hunch forward: lift your chest so your shoulders sit over your hips, just slightly "
        "forward.",
        "not_assessable": _NA,
    },
    "short_steps": {
        "ok": "Your short, quick steps are right for backward running.",
        "warn": "Shorten your steps a little and take them quicker.",
        "fail": "Take much shorter, quicker steps; reach back less with each foot.",
        "not_assessable": _NA,
    },
    "forefoot_landing": {
        "ok": "Good: you land on the balls of your feet.",
        "warn": "Land on the balls of your feet more often, not on your heels.",
        "fail": "Land on the balls of your feet and push off with your toes; avoid heel-first landings.",
        "not_assessable": _NA,
    },
    "arm_angle": {
        "ok": "Your arms are relaxed near 90 degrees; keep them for balance.",
        "warn": "Bend your elbows closer to 90 degrees and keep the arms relaxed.",
        "fail": "Bend your elbows to about 90 degrees; use the arms for balance, not stiff or straight.",
        "not_assessable": _NA,
        "walking": "Walking backward, let your arms swing easily; bend them to about 90 degrees once you jog.",
    },
    "look_over_shoulder": {
        "ok": "Good: you check your path over your shoulder now and then.",
        "warn": "Glance over your shoulder a little more often to check your path.",
        "warn_turned": "Look over your shoulder briefly, then face forward again to keep a steady posture.",
        "fail": "Turn your head every few seconds to look over your shoulder and check your path.",
        "not_assessable": _NA,
    },
    "heel_drag": {
        "ok": "Clean push-off: your heels lift quickly.",
        "warn": "Push off with your toes so your heels lift clear of the ground.",
        "fail": "Stop dragging your heels: push off with your toes and lift the foot.",
        "not_assessable": _NA,
        "walking": "Walking backward, place the ball of the foot first; push off with the toes once you jog.",
    },
    "symmetry": {
        "ok": "Your left and right steps are even.",
        "warn": "Even out your rhythm: your left and right steps take different times.",
        "fail": "Your steps are clearly uneven left vs right; slow down and check for pain or tightness.",
        "not_assessable": _NA,
    },
    "trunk_stability": {
        "ok": "Your trunk stays steady.",
        "warn": "Keep your trunk steadier; tighten your core a little.",
        "fail": "Your trunk sways a lot: slow down and brace your core (planks and side planks help).",
        "not_assessable": _NA,
    },
    "fatigue": {
        "ok": "Your form holds up to the end.",
        "warn": "Your posture drifts as you tire; take a break sooner or shorten the interval.",
        "fail": "Your form falls apart as you tire: use shorter intervals with rest.",
        "not_assessable": "Record a longer stretch of backward running to check fatigue.",
        "not_assessable_noisy": "Film closer, from the side, so your body fills more of the frame: the lean then "
        "reads steadily enough to check fatigue.",
    },
}

_GENERIC = {
    "ok": "{value} {unit}: within the target.",
    "warn": "{value} {unit}: a little outside the target.",
    "fail": "{value} {unit}: well outside the target.",
}

MESSAGES: dict[str, dict[str, str]] = {
    "upright_posture": {
        "ok": "trunk lean {value} {unit}: upright",
        "warn": "trunk lean {value} {unit}: a bit back",
        "fail": "trunk lean {value} {unit}: leaning back",
        "warn_forward": "trunk lean {value} {unit}: a bit far forward",
        "fail_forward": "trunk lean {value} {unit}: hunched forward",
    },
    "short_steps": {
        "ok": "step size {value} {unit}: short",
        "warn": "step size {value} {unit}: a bit long",
        "fail": "step size {value} {unit}: too long",
    },
    "forefoot_landing": {
        "ok": "heel-first share {value}",
        "warn": "heel-first share {value}: some heel landings",
        "fail": "heel-first share {value}: mostly heel landings",
    },
    "arm_angle": {
        "ok": "elbow {value} {unit}",
        "warn": "elbow {value} {unit}: off 90",
        "fail": "elbow {value} {unit}: far from 90",
    },
    "look_over_shoulder": {
        "ok": "{value} head turns {unit}",
        "warn": "only {value} head turns {unit}",
        "fail": "{value} head turns {unit}",
    },
    "heel_drag": {
        "ok": "heel {value} {unit} above the toe at toe-off",
        "warn": "heel {value} {unit} above the toe at toe-off: low",
        "fail": "heel {value} {unit} above the toe at toe-off: the heel drags",
    },
    "symmetry": {
        "ok": "left/right step-time difference {value}{unit}",
        "warn": "left/right step-time difference {value}{unit}",
        "fail": "left/right step-time difference {value}{unit}: uneven",
    },
    "trunk_stability": {
        "ok": "trunk sway {value} {unit}",
        "warn": "trunk sway {value} {unit}",
        "fail": "trunk sway {value} {unit}: unsteady",
    },
    "fatigue": {
        "ok": "trunk lean changed {value} {unit} from start to end",
        "warn": "trunk lean changed {value} {unit} from start to end",
        "fail": "trunk lean changed {value} {unit} from start to end",
    },
}
for _rule in MESSAGES:
    for _k, _v in _GENERIC.items():
        MESSAGES[_rule].setdefault(_k, _v)
