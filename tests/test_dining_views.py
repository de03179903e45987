"""The table's views: drawings show the run's facts; the widgets' clicks change state;
Reset and close end every thread (the autouse fixture checks none is left)."""
import pytest

import dining
from dining.session import Session
from dining.views import TableView, draw_table, fairness_chart, table_diagram


@pytest.fixture
def view():
    v = TableView(move_seconds=0.0, refresh_seconds=0.2)
    yield v
    v.close()


def cycle_arrows(fig):
    return [p for p in fig.axes[0].patches if p.get_gid() == "cycle"]


def test_a_naive_deadlock_is_drawn_with_its_cycle_highlighted():
    fig = draw_table(dining.run(strategy="naive", seed=0))
    assert len(cycle_arrows(fig)) == 5
    assert "DEADLOCK" in fig.axes[0].get_title()


def test_a_completed_table_has_no_cycle_drawn():
    assert cycle_arrows(draw_table(dining.run(strategy="waiter", seed=0))) == []


def test_fairness_chart_bars_are_the_meals_eaten():
    r = dining.run(strategy="trylock", seed=49)
    bars = fairness_chart(r).axes[0].patches
    assert [b.get_height() for b in bars] == list(r.meals.values())


def test_stepping_a_session_to_the_end_is_dining_run_with_that_seed():
    s = Session(strategy="ordered", seed=11)
    try:
        assert s.result().outcome == "running"
        stepped = s.run()
    finally:
        s.close()
    assert stepped.schedule == dining.run(strategy="ordered", seed=11).schedule


def test_buttons_are_labelled_start_step_reset_beside_a_strategy_chooser(view):
    assert list(view.buttons) == ["Start", "Step", "Reset"]
    assert [b.description for b in view.buttons.values()] == ["Start", "Step", "Reset"]
    assert view.strategy.options == tuple(dining.STRATEGIES)


def test_step_makes_one_move_and_repaints(view):
    before = view.text.value
    view.buttons["Step"].click()
    assert view.session.rt.schedule() != ""
    assert len(view.session.rt.schedule().split()) == 1
    view.buttons["Step"].click()
    assert view.text.value != before


def test_the_banner_says_ready_before_start_and_running_after_a_step(view):
    assert view.banner.value == "READY"          # DESIGN.md: READY before the first click
    view.buttons["Step"].click()
    assert view.banner.value == "RUNNING"


def test_start_runs_the_table_to_its_verdict(view):
    view.buttons["Start"].click()
    assert view.wait()
    assert view.banner.value == "DEADLOCK"      # naive, seed 0
    assert view.session.over()


def test_reset_applies_the_chooser_and_ends_the_running_threads(view):
    view.strategy.value = "chandy-misra"
    view.move_seconds = 0.05
    view.buttons["Start"].click()
    view.buttons["Reset"].click()
    assert not view.running()
    assert view.session.table.strategy.name == "chandy-misra"
    assert view.session.rt.schedule() == ""
    assert view.banner.value == "READY"          # a new table: nothing has moved yet
    view.move_seconds = 0.0
    view.buttons["Start"].click()
    assert view.wait()
    assert view.banner.value == "COMPLETED"


def test_knob_labels_are_not_cut_and_every_control_has_a_tooltip(view):
    for knob in (view.strategy, view.philosophers, view.seed):
        assert knob.style.description_width == "initial" and knob.tooltip
    assert all(b.tooltip for b in view.buttons.values())


def test_the_table_is_drawn_as_svg_that_keeps_its_shape(view):
    view.buttons["Start"].click()
    assert view.wait()
    assert "<svg" in view.table_image.value and "height:auto" in view.table_image.value
    assert "<figcaption" in view.table_image.value      # the verdict in words under it
    assert "deadlock" in view.table_image.value


def test_fairness_chart_has_a_legend_and_a_time():
    r = dining.run(strategy="naive", seed=0)
    ax = fairness_chart(r).axes[0]
    assert f"t={r.seconds:g} s" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "meals each (3)" and "hungry now" in labels


def test_two_fairness_charts_side_by_side_keep_their_legends_whole_and_apart():
    from dining.views import figure
    fig = figure((9, 2.4))                        # as notebook 08 draws them
    left, right = fig.subplots(1, 2)
    for ax in (left, right):
        fairness_chart(dining.run(strategy="ordered", meals=3, seed=0), ax)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    page = fig.bbox
    for ax, other in ((left, right), (right, left)):
        legend = ax.get_legend().get_window_extent(renderer)
        assert page.x0 <= legend.x0 and legend.x1 <= page.x1       # not cut off
        assert not legend.overlaps(other.get_window_extent(renderer))
        assert not legend.overlaps(ax.get_window_extent(renderer))


def test_after_a_livelock_the_graph_says_hungry_not_finished():
    s = Session(strategy="trylock", seed=49)
    try:
        assert s.run().outcome == "livelock"
        d = table_diagram(s)
    finally:
        s.close()
    assert all("hungry" in n.label and "finished" not in n.label for n in d.nodes)
    # The table gave up (notebook 08 says so): nobody "keeps retrying" any more.
    assert all("gave up" in n.label and "retrying" not in n.label for n in d.nodes)
    assert "LIVELOCK" in d.title
