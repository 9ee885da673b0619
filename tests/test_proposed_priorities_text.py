"""The pure readers of the 2021 proposed-priorities slides, on strings from the source."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import URIRef

from loaders.proposed_priorities_text import (
    Figure,
    bullet,
    find_figures,
    join_split_bullets,
    same_wording,
    split_labels,
    split_parts,
    split_sections,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("allocation 2021-24 (£345k) for", [Figure("£345k", Decimal(345000), "GBP")]),
        ("(£150k) to support", [Figure("£150k", Decimal(150000), "GBP")]),
        ("compared to 9% in the East Midlands", [Figure("9%", Decimal(9), "percent")]),
        ("this equates to 3,087 CYP", [Figure("3,087", Decimal(3087), "count")]),
        ("towards national 60.0% target", [Figure("60.0%", Decimal("60.0"), "percent")]),
        ("Survey 2018 indicate that", []),
        ("Strategy 2020 – 2023 and 2016/17 and 202-1-24", []),
        ("obesity in Year 6 and Key stage 4 and Type 2 and tier 3", []),
        ("CORE20PLUS5 and S106 and the 3rd and in their 90s", []),
        ("the 'First 1001 Critical days'", []),
        ("aged 65+ and under 75 and the age of 14 and aged 5-16 years", []),
        ("over next 15 years, 4 week waits, 20 or more hours a week", []),
        ("As of September 21 the council supports", []),
        (
            "just under 3000 people and 1920 people",
            [Figure("3000", Decimal(3000), "count"), Figure("1920", Decimal(1920), "count")],
        ),
        ("all 4 tiers", [Figure("4", Decimal(4), "count")]),
        (
            "£2.5m and £1bn",
            [Figure("£2.5m", Decimal(2500000), "GBP"), Figure("£1bn", Decimal(1000000000), "GBP")],
        ),
    ],
)
def test_find_figures(text, expected):
    assert find_figures(text) == expected


def test_bullet_depths():
    assert bullet("- Homes") == (1, "Homes")
    assert bullet(" - Homes") == (2, "Homes")
    assert bullet("Also need to:") == (0, "Also need to:")


def test_join_split_bullets_only_joins_lower_case_bullets():
    lines = [
        (1, "- Supporting young carers through awareness"),
        (2, "- raising and early identification"),
        (3, "- Improve access"),
    ]
    assert join_split_bullets(lines) == [
        (1, 1, "Supporting young carers through awareness-raising and early identification", [2]),
        (3, 1, "Improve access", []),
    ]


def test_same_wording():
    assert same_wording("Improving support for Carers", "Improving support for carers")
    assert same_wording("older people and adults", "older people & adults.")
    assert not same_wording("a move towards", "the move towards")


def test_split_labels_reads_two_names_without_separator():
    labels = {"living and supported well": URIRef("urn:a"), "dying well": URIRef("urn:b")}
    assert split_labels("Living and Supported Well Dying Well", labels) == (
        [URIRef("urn:a"), URIRef("urn:b")],
        "",
    )
    assert split_labels("Dying Well Somehow", labels) == ([URIRef("urn:b")], "Somehow")


def test_split_sections_by_slide_heading():
    lines = [
        (3, "**Joint Health"),
        (8, "JHWS refresh & proposed length"),
        (10, "- published"),
        (121, "Proposed Priority 1: Improving"),
        (123, "Healthy Places"),
    ]
    assert split_sections(lines) == [
        ("title", None, [(3, "**Joint Health")]),
        ("refresh", (8, "JHWS refresh & proposed length"), [(10, "- published")]),
        ("priority", (121, "Proposed Priority 1: Improving"), [(123, "Healthy Places")]),
    ]


def test_split_parts_of_a_priority_slide():
    body = [
        (123, "Healthy Places"),
        (342, "Key Partners :"),
        (344, "Public Health"),
        (346, "Current improvement Plans include:"),
        (558, "Improvement Plans:"),
        (352, "Measuring progress:"),
        (354, "- Weight"),
    ]
    assert [
        (part, heading and heading[0], [n for n, _ in lines])
        for part, heading, lines in split_parts(body)
    ] == [
        ("head", None, [123]),
        ("partners", 342, [344]),
        ("improvement", 346, []),
        ("improvement", 558, []),
        ("measures", 352, [354]),
    ]
