"""The pure readers of the 2021 proposed-priorities slides, on strings from the source."""

from __future__ import annotations

from rdflib import URIRef

from loaders.proposed_priorities_text import (
    bullet,
    join_split_bullets,
    same_wording,
    split_labels,
    split_parts,
    split_sections,
)


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
