"""Report plots: they draw what they are given (bands from the analysis' config) and never crash on missing numbers."""

from __future__ import annotations

import base64

import typed_fixtures as tf

from formcheck.report import plots
from formcheck.report.html import render_html

HEEL_SHADE = "#ffcdd2"


def _svg(plot) -> str:
    uri = plot.uri
    assert uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def _steps(n: int = 8, dt: float = 0.33) -> list:
    return [
        tf.step(
            k * 10,
            0.5 + k * dt,
            foot="left" if k % 2 else "right",
            foot_angle_deg=12.0 - 3 * k,
            strike="forefoot" if 12.0 - 3 * k > 4 else "heel",
        )
        for k in range(n)
    ]


def test_cadence_plot_without_clip_cadence_still_draws():
    # a forward-only clip has steps but no judged cadence_spm: this used to raise TypeError
    svg = _svg(plots.cadence_plot(_steps(), None))
    assert "Cadence" in svg and "cadence 1" not in svg
    with_line = _svg(plots.cadence_plot(_steps(), 180.0))
    assert "cadence 180" in with_line


def test_cadence_plot_needs_two_steps():
    assert plots.cadence_plot(_steps(1), None) is None


def test_foot_angle_plot_shades_the_strike_zones_only_when_given():
    shaded = _svg(plots.foot_angle_plot(_steps(), 4.0, -4.0))
    assert plots.OK_COLOUR in shaded and HEEL_SHADE in shaded and "forefoot zone" in shaded
    bare = _svg(plots.foot_angle_plot(_steps(), None, None))
    assert plots.OK_COLOUR not in bare and HEEL_SHADE not in bare
    assert plots.foot_angle_plot([tf.step(30, 1.0, foot_angle_deg=None)]) is None


def test_report_page_draws_the_strike_zones_it_is_given():
    j = tf.judgement(60, 30.0, steps=tuple(_steps()))
    default = render_html(tf.page(j))
    custom = render_html(tf.page(j, forefoot_min_deg=30.0, heel_max_deg=-30.0))
    assert default != custom  # the strike zones moved with the config the analysis ran with
    assert render_html(tf.page(j)) == default  # and the page is deterministic


def test_band_plots_shade_the_verdict_bands_and_skip_infinite_ones():
    import numpy as np

    t = np.arange(90) / 30.0
    lean = 5 + np.sin(t)
    one_sided = plots.Band(ok=(2.0, float("inf")), warn=(1.0, float("inf")))
    svg = _svg(plots.trunk_lean_plot(t, lean, one_sided, ()))
    assert plots.OK_COLOUR in svg and plots.WARN_COLOUR in svg
    assert plots.trunk_lean_plot(t, np.full(90, np.nan), one_sided, ()) is None
    bare = _svg(plots.trunk_lean_plot(t, lean, None, ()))
    assert plots.OK_COLOUR not in bare
