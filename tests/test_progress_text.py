"""The text helpers of the progress-report loader: figures, named organisations, cleaning."""

from decimal import Decimal

import pytest

from loaders.progress_figures import extract_figures
from loaders.progress_statements import clean_statement
from loaders.text_partners import named_organisations


def figures(text: str) -> list[tuple[str, Decimal, str]]:
    return [(f.text, f.value, f.unit) for f in extract_figures(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "125 registered organisations (73 Large, 28 Medium and 24 Small organisations)",
            [("125", 125, "count"), ("73", 73, "count"), ("28", 28, "count"), ("24", 24, "count")],
        ),
        ("Circa £10 million of funding secured", [("Circa £10 million", 10_000_000, "GBP")]),
        ("Hinckley & Bosworth Borough Council £1,150,253", [("£1,150,253", 1_150_253, "GBP")]),
        ("Midlands Zero Net Hub (£75m) –Leicester", [("£75m", 75_000_000, "GBP")]),
        (
            "(12.5% vs 15.1% vs 13.1%)",
            [
                ("12.5%", Decimal("12.5"), "percent"),
                ("15.1%", Decimal("15.1"), "percent"),
                ("13.1%", Decimal("13.1"), "percent"),
            ],
        ),
        (
            "(14.6/1,000 vs 16.1/1,000)",
            [
                ("14.6/1,000", Decimal("14.6"), "per1000"),
                ("16.1/1,000", Decimal("16.1"), "per1000"),
            ],
        ),
        ("support around 60k long-term sick", [("around 60k", 60_000, "count")]),
        ("registered housing providers (RP's) with 1000+ homes", [("1000+", 1000, "count")]),
        ("In excess of 150 have enrolled", [("In excess of 150", 150, "count")]),
        ("over 80% of people", [("over 80%", 80, "percent")]),
    ],
)
def test_quantities_are_figures(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "came into force in April 2024",  # a year
        "during 24/25",  # a financial year
        "The Joint Health and Wellbeing Strategy (JHWS) 2022-32",  # a period
        "exceeded the Q1-3 AHC targets",
        "Local Transport Plan 4 phase 1 is complete",
        "Wave 3 – successful Social Housing Landlords",
        "Home Upgrade Grant phase 2 (HUG2)",
        "through 1-2-1 home visits",
        "people on the LD Register, aged 14+, have received",
        "chlamydia screening in females aged 15 to 24",
        "uptake of AHCs for 14–19-year-olds",
        "abortion rate in the over 25s",
        "prior to the Covid-19 pandemic",
        "received a compliant C2 judgement",
        "11. The table below details the progress",
        "a. Best Start for Life;",
        "a workshop was held in Feb 25 to bring",
        "a new service from 01st April 2025",
        "HEALTH AND WELLBEING BOARD: 29 MAY 2025",
        "with 10 year contracts agreed",
        "fund the project for a further 12 months",
        "inspection which will take place every 4 years",
        "Best Start in Life (first 1001 critical days)",
        "Promote 24hr Mental Health Central Access Point - 0808 800 3302 for anyone",
        "https://democracy.leics.gov.uk/documents/s182800/SHP%20JHWS_23May24_v9.pdf",
    ],
)
def test_years_dates_labels_ages_durations_and_phones_are_not_figures(text):
    assert figures(text) == []


def test_figures_keep_reading_order_and_offsets():
    text = (
        "Blaby: received 1,235 referrals into the service, with over 16,000 attendances "
        "in our programmes and 1132 participants across 42 activities."
    )
    found = extract_figures(text)
    assert [(f.text, f.value) for f in found] == [
        ("1,235", 1235),
        ("over 16,000", 16000),
        ("1132", 1132),
        ("42", 42),
    ]
    assert all(text[f.start :].startswith(f.text) for f in found)


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
