"""Colour (issue 14): what a colour means stays readable for colour-blind readers and in
greyscale, because every meaning has a second, non-colour mark.

Colours are compared in CAM02-UCS (colorspacious), a space in which the distance between
two colours follows how different people judge them; a distance (delta-E) of about 1 is
a just-noticeable difference between large patches side by side. Our meanings sit on
thin lines, small bars and a banner seen from the back of a classroom, which lose several
units, so colours that mean different things must be at least MIN_DELTA_E = 10 apart:
with normal vision, and after simulating deuteranopia and protanopia (colorspacious's
Machado et al. 2009 model at severity 100, the strongest form). In greyscale (the colour's
CAM02 lightness alone) colours may collide: there the non-colour marks carry the meaning,
and these tests check each meaning has its own.

Rendered figures, in greyscale, are saved to test-output/greyscale/ for a person to look
at (the before/after pictures of issue 14).
"""
import io
import itertools
import re

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from matplotlib.colors import to_rgb
from PIL import Image

from lessons.views import palette
from lessons.views.diagram import to_dot
from lessons.views.figure import DPI, png
from tests.paths import REPO, TEST_OUTPUT
from tests.views_gallery import diagrams, matplotlib_figures

MIN_DELTA_E = 10
VISION = ["normal", "deuteranomaly", "protanomaly"]
GREYSCALE = TEST_OUTPUT / "greyscale"

# Each group: colours that mean different things side by side in one view.
GROUPS = {
    "banner": {word: bg for word, (bg, _) in palette.BANNER.items()},
    "wait-for graph edges": {"loop": palette.CYCLE, "chain": palette.CHAIN, "wait": palette.BLACK},
    "timeline channels": dict(palette.CHANNELS),
    "dining states": {state: color for state, (color, _) in palette.STATES.items()},
    "who calls the engine": dict(palette.CALLS),
    "gauges": {"full": palette.VERMILLION, "not full": palette.BLUE},
}


def seen(color, vision):
    """The sRGB colour as a reader with `vision` sees it."""
    rgb = np.array(to_rgb(color))
    if vision == "normal":
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_colours_with_different_meanings_stay_apart(group, vision):
    colors = GROUPS[group]
    close = [(a, b, round(float(deltaE(seen(x, vision), seen(y, vision), input_space="sRGB1")), 1))
             for (a, x), (b, y) in itertools.combinations(colors.items(), 2)
             if deltaE(seen(x, vision), seen(y, vision), input_space="sRGB1") < MIN_DELTA_E]
    assert close == []


def contrast(a, b):
    """WCAG contrast ratio of two sRGB colours."""
    def luminance(c):
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("word", sorted(palette.BANNER))
def test_the_banner_word_reads_on_its_colour_in_every_vision(word):
    """The word is the banner's non-colour channel: it must stay legible (WCAG asks 3:1
    for large bold text; a greyscale print keeps luminance, so this holds there too)."""
    background, text = palette.BANNER[word]
    for vision in VISION:
        assert contrast(seen(background, vision), seen(text, vision)) >= 3.0
    assert palette.BANNER_MEANS[word]


def test_small_text_colours_have_4_5_to_1_on_white():
    for color in [palette.WARNING_TEXT, *palette.TEXT.values()]:
        assert contrast(color, "white") >= 4.5, color


# -- the non-colour marks ------------------------------------------------------------------
def test_wait_for_graph_edges_differ_by_style_and_weight_not_only_colour():
    marks = {}
    for name in ("wait-for-deadlock", "wait-for-exited", "wait-for-stall"):
        for e in diagrams()[name].edges:
            kind = ("loop" if e.color == palette.CYCLE else "chain" if e.color == palette.CHAIN
                    else "wait")
            marks.setdefault((kind, e.style == "dotted"), set()).add((e.style, e.bold))
    # One mark per meaning, and no two meanings share one.
    assert all(len(m) == 1 for m in marks.values()), marks
    assert len({next(iter(m)) for m in marks.values()}) == len(marks)
    assert {("loop", False), ("chain", False), ("wait", False), ("loop", True)} <= set(marks)


def test_stuck_and_exited_actors_say_so_in_words_and_shape():
    exited = diagrams()["wait-for-exited"]
    shim = next(n for n in exited.nodes if n.id == "shim.main")
    assert "exited" in shim.label and "diagonals" in shim.marks
    engine = next(n for n in exited.nodes if n.id == "engine")
    assert "STUCK" in engine.label


def test_timeline_channels_are_named_and_dashed_and_send_is_hatched():
    fig = matplotlib_figures()["timeline-deadlock"]
    lanes, depths = fig.axes[:2]
    dashes = [str(line.get_linestyle()) + str(line._dash_pattern) for line in depths.get_lines()
              if line.get_label() and not line.get_label().startswith("_")]
    assert len(dashes) == len(set(dashes))            # each channel its own dash pattern
    named = {t.get_text() for t in lanes.texts}
    assert {"recv stream", "send notifications"} <= named   # the channel's name on its bar
    hatches = {c.get_hatch() for c in lanes.collections}
    assert palette.SEND_HATCH in hatches and None in hatches


def test_dining_states_have_their_own_hatch_and_word():
    hatches = [hatch for _, hatch in palette.STATES.values()]
    assert len(set(hatches)) == len(hatches)
    fig = matplotlib_figures()["table-deadlock"]
    assert any("hungry" in t.get_text() for t in fig.axes[0].texts)


def test_heat_map_shades_grow_darker_and_every_cell_prints_its_share():
    fig = matplotlib_figures()["heat-map"]
    shades = fig.axes[0].images[0].cmap(np.linspace(0, 1, 11))[:, :3]
    for vision in VISION:
        lightness = [cspace_convert(seen(c, vision), "sRGB1", "JCh")[0] for c in shades]
        assert all(a > b for a, b in zip(lightness, lightness[1:]))   # reads in greyscale
    cells = [t for t in fig.axes[0].texts if t.get_text().endswith("%")]
    assert len(cells) == 16


def test_architecture_says_who_calls_the_engine_in_words():
    boxes = {n.id: n for n in diagrams()["architecture"].nodes}
    assert "+ calls the engine" in boxes["single/shim.main"].label
    assert "only drains" in boxes["split/shim.main"].label
    assert boxes["single/shim.main"].bold and boxes["split/shim.requests"].bold


def test_colours_with_meaning_come_only_from_the_palette():
    """Any other colour written in a view is a near-grey (a background tint at most)."""
    files = list((REPO / "lessons" / "views").glob("*.py")) + [REPO / "dining" / "views.py"]
    for path in files:
        if path.name == "palette.py":
            continue
        for hex_color in re.findall(r"#[0-9a-fA-F]{6}\b", path.read_text()):
            rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
            assert max(rgb) - min(rgb) <= 0x18, f"{path.name}: {hex_color}"


# -- the pictures, rendered --------------------------------------------------------------
def rendered():
    for name, fig in matplotlib_figures().items():
        yield name, png(fig, DPI)
    for name, d in diagrams().items():
        yield name, to_dot(d).pipe(format="png")


@pytest.mark.slow   # renders every figure as PNG
def test_rendered_figures_use_the_palette_and_are_saved_in_greyscale():
    GREYSCALE.mkdir(parents=True, exist_ok=True)
    expect = {"wait-for-deadlock": [palette.CYCLE], "wait-for-stall": [palette.CHAIN],
              "timeline-deadlock": [palette.CHANNELS["notifications"], palette.CHANNELS["stream"]],
              "table-deadlock": [palette.STATES["hungry"][0]],
              "architecture": [palette.CALLS["single"], palette.CALLS["split"]]}
    for name, data in rendered():
        image = Image.open(io.BytesIO(data)).convert("RGB")
        pixels = np.asarray(image).reshape(-1, 3)
        for color in expect.get(name, []):
            want = [round(255 * x) for x in to_rgb(color)]
            assert (pixels == want).all(axis=1).any(), f"{name}: {color} not drawn"
        image.convert("L").save(GREYSCALE / f"{name}.png")
    assert len(list(GREYSCALE.glob("*.png"))) >= 13


def test_every_word_a_run_or_a_table_can_end_with_has_a_banner():
    """The banner shows whatever the model decides; a word it lacks would be a KeyError
    in a widget's refresher (UNFINISHED came with the `unfinished` outcome)."""
    from lessons.views.banner import show_word, status_banner
    story = {"completed", "deadlock", "stall", "unfinished"}          # story/outcome.py
    table = {"completed", "deadlock", "livelock", "unfinished"}       # dining/dinner.py
    words = {o.upper() for o in story | table} | {"RUNNING", "SHIM EXITED", "READY"}
    label = status_banner("READY")
    for word in sorted(words):
        show_word(label, word)
        assert label.value == word and word in label.tooltip
