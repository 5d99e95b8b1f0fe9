"""What ``formcheck tips`` says: technique cues, safety, progression plans and complementary exercises.

Plain data, written in our own words from the guidance summarised in FIELD_NOTES.md. Each cue and exercise
names the rule ids (see :mod:`formcheck.rules`) it helps with, so a report's faults can pull them to the top.
"""

from __future__ import annotations

#: Human titles of the rule ids, shared by the terminal summary and the HTML report.
RULE_TITLES: dict[str, str] = {
    "upright_posture": "Upright posture",
    "short_steps": "Short, quick steps",
    "forefoot_landing": "Land on the forefoot",
    "arm_angle": "Arms near 90 degrees",
    "look_over_shoulder": "Look over your shoulder",
    "heel_drag": "No heel drag",
    "symmetry": "Left/right symmetry",
    "trunk_stability": "Steady trunk",
    "fatigue": "Form holds when tired",
}

#: Technique cues: (rule ids the cue addresses, text).
CUES: list[tuple[tuple[str, ...], str]] = [
    (
        ("upright_posture", "fatigue"),
        "Run tall: stack your shoulders over your hips, or let them drift a little ahead of them. "
        "Tipping backwards is the habit that ends in falls.",
    ),
    (
        ("short_steps", "symmetry"),
        "Keep each reach backwards small and the rhythm brisk; many short steps beat a few long ones.",
    ),
    (
        ("forefoot_landing",),
        "Touch down on the balls of your feet, with the heel kept off the ground at first contact.",
    ),
    (
        ("heel_drag", "forefoot_landing"),
        "Leave the ground through your toes and lift the whole foot, so the heel never scuffs along.",
    ),
    (
        ("arm_angle",),
        "Hold the elbows bent at roughly a right angle and keep the shoulders loose; the arms steady you, "
        "they don't drive you.",
    ),
    (
        ("look_over_shoulder",),
        "Every few seconds, turn your head to glance over one shoulder at the path, then face front again.",
    ),
    (
        ("trunk_stability", "fatigue"),
        "Keep the ribcage quiet over the pelvis: a braced middle stops the upper body from rocking.",
    ),
]

#: Safety notes, most important first.
SAFETY: list[str] = [
    "The real danger is a fall onto your back: begin on flat, open, obstacle-free ground such as a track or an "
    "empty field.",
    "Check behind you regularly with a short look over the shoulder; a partner walking forward beside you is "
    "a good spotter for the first sessions.",
    "Slow down or stop as soon as your form breaks down or you feel unsteady; backward running costs roughly a "
    "third more energy than running forwards at the same speed, so you tire sooner than you expect.",
    "Stay away from slopes, uneven paths, traffic and crowds until backward running feels routine.",
]

#: Progression plans by level: list of (stage, text).
PLANS: dict[str, list[tuple[str, str]]] = {
    "beginner": [
        (
            "Weeks 1-2",
            "Walk backwards for 2-3 minutes to warm up, then jog backwards slowly for 30 seconds at a "
            "time, 3 to 5 times, walking in between.",
        ),
        (
            "Weeks 3-4",
            "Stretch the jogging bouts to 1-2 minutes, each followed by the same time of easy rest, "
            "for 10-15 minutes in all.",
        ),
        ("Week 5 on", "Run backwards for 5-10 minutes without stopping, repeated as you feel able."),
        (
            "How often",
            "One or two sessions a week of 10-15 minutes to begin with; add time gradually until a "
            "session lasts about 20 minutes.",
        ),
    ],
    "intermediate": [
        ("Base", "Keep one or two sessions a week of 15-20 minutes, with 5-10 minute continuous backward stretches."),
        (
            "Quality",
            "Add short bouts of quicker backward running (20-30 seconds) with full walking recovery, "
            "keeping the steps short and the posture tall.",
        ),
        (
            "Mix",
            "Slot 3-5 minutes of backward running into a forward run, for instance between forward blocks, "
            "to vary the load on your knees and calves.",
        ),
        ("Check", "Film yourself every few weeks and run formcheck again to see whether your faults are shrinking."),
    ],
}

LEVELS: tuple[str, ...] = tuple(PLANS)

#: Complementary exercises: (rule ids they help, text).
EXERCISES: list[tuple[tuple[str, ...], str]] = [
    (("short_steps", "symmetry"), "Lunges (forward and reverse): leg strength and balance on one leg."),
    (("forefoot_landing", "heel_drag"), "Calf raises: strong calves carry you on the balls of your feet."),
    (("upright_posture", "fatigue"), "Hip bridges: glutes that keep your hips from sagging as you tire."),
    (("trunk_stability", "upright_posture"), "Planks: a firm middle for a steady, upright trunk."),
    (("trunk_stability", "symmetry"), "Side planks: control of side-to-side sway."),
    (
        ("trunk_stability", "look_over_shoulder"),
        "Russian twists: rotation control, so a glance over the shoulder doesn't throw you off line.",
    ),
]

#: Stretches for after the session.
STRETCHES: list[str] = [
    "Afterwards, stretch your hamstrings, calves and hip flexors, holding each stretch gently for about 30 seconds.",
]
