"""The build's network digest: every scope cut from it is what the queries find."""

from __future__ import annotations

import json

import pytest

from graph import digests, network, network_digest, network_queries
from graph.network_queries import Scope


@pytest.fixture(scope="module")
def kept(published):
    written = published.path / digests.DIGESTS_DIR / "network.json"
    return json.loads(written.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def options(oxigraph):
    return network_queries.options(oxigraph)


def _facts(found: network_queries.Facts) -> tuple:
    return (
        found.links,
        found.organisations,
        found.items,
        found.themes,
        found.plans_by_organisation,
        found.plan_of,
    )


def test_the_options_are_kept(kept, options):
    assert network_digest.options(kept) == options
    assert len(options.plans) == 5 and len(options.themes) > 10


def test_every_plan_and_theme_cut_from_the_digest_is_what_the_queries_find(kept, options, oxigraph):
    scopes = [Scope(), *map(Scope, options.plans)]
    scopes += [Scope(theme=theme) for theme in options.themes]
    for scope in scopes:
        assert _facts(network_digest.facts(kept, scope)) == _facts(
            network_queries.fetch(oxigraph, scope)
        ), scope


@pytest.mark.parametrize("role", [None, "lead", "partner"])
def test_the_all_plans_figures_are_those_of_the_whole_network(kept, oxigraph, role):
    everything = network_queries.fetch(oxigraph, Scope())
    found = network.analyse(everything, role)
    shown = network_digest.measured(kept, Scope(role=role))
    assert shown.organisations == found.organisations and shown.pairs == found.pairs
    assert shown.summary == found.summary
    assert shown.items == everything.items and shown.themes == everything.themes


def test_a_plan_is_measured_from_its_own_facts(kept):
    shown = network_digest.measured(kept, Scope(plan="leicester-jhwb-action-plan-2018-23"))
    assert shown.summary["items"] == 76 and len(shown.organisations) == 16
    assert shown.labels[shown.organisations[0]["organisation"]] == "Leicester City Council"
