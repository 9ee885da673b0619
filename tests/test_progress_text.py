"""The text helpers of the progress-report loader: named organisations, cleaning.

Its figures are read by loaders/figures.py, tested in tests/test_figures.py.
"""

from loaders.progress_statements import clean_statement
from loaders.text_partners import named_organisations


def test_registry_names_in_running_text(registry):
    text = "There is collaboration with LCC and Adult Education Centre to build skills."
    assert named_organisations(text, registry, "leicestershire") == ["LCC"]


def test_common_nouns_and_generic_groups_are_not_organisations(registry):
    assert (
        named_organisations("management of all partners is key", registry, "leicestershire") == []
    )
    assert (
        named_organisations(
            "Healthy Conversation Skills delivered to LLR PCNS", registry, "leicestershire"
        )
        == []
    )
    assert (
        named_organisations(
            "carried out by the Primary Care Liaison Nurses", registry, "leicestershire"
        )
        == []
    )


def test_a_place_name_names_the_council_only_as_the_subject(registry):
    assert named_organisations("Blaby: received 1,235 referrals", registry, "leicestershire") == [
        "Blaby"
    ]
    assert (
        named_organisations(
            "hot food takeaway applications in Blaby has commenced", registry, "leicestershire"
        )
        == []
    )
    assert (
        named_organisations("a project across Melton and Rutland", registry, "leicestershire") == []
    )
    assert named_organisations(
        "rural areas of Melton Mowbray – Melton Borough Council", registry, "leicestershire"
    ) == ["Melton Borough Council"]


def test_longest_known_name_wins(registry):
    text = "developed by Leicestershire County Council Public Health team."
    assert named_organisations(text, registry, "leicestershire") == [
        "Leicestershire County Council Public Health"
    ]


def test_clean_statement_keeps_urls_and_drops_markup():
    assert (
        clean_statement("- *Data-Driven Targeting*: A damp and mould mapping tool")
        == "Data-Driven Targeting: A damp and mould mapping tool"
    )
    assert (
        clean_statement(" - The microsite: <https://x.com/leicshwb> continued")
        == "The microsite: https://x.com/leicshwb continued"
    )
    assert (
        clean_statement("Link here: [Wave 3 - GOV.UK](#). LLR") == "Link here: Wave 3 - GOV.UK. LLR"
    )
    assert (
        clean_statement("see [the fund](https://gov.uk/fund)") == "see the fund https://gov.uk/fund"
    )
