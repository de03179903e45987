"""Behaviour unchanged: today's runs, searches and dinners match the recorded fingerprints."""
import json

import pytest

from tests.fingerprints.cases import GROUPS, RECORDED


@pytest.mark.parametrize("group", list(GROUPS))
def test_behaviour_matches_the_recorded_fingerprints(group):
    recorded = json.loads(RECORDED.read_text())[group]
    now = GROUPS[group]()
    assert sorted(now) == sorted(recorded)
    changed = [name for name in recorded if now[name] != recorded[name]]
    assert not changed, f"{len(changed)} differ, e.g. {changed[0]}: " \
                        f"{recorded[changed[0]]} -> {now[changed[0]]}"
