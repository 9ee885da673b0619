"""The one reader of printed figures (loaders/figures.py), rule by rule, on the sources' words.

Every phrase is copied from a source; the comment names it and the line:
  action-plan  leicester-jhwb-action-plan-2018-23.txt
  district     harborough-hw-action-plan-2022-23.txt
  priorities   leicester-jhws-refresh-proposed-priorities-2021.txt
  progress     leicestershire-hwb-staying-healthy-progress-2025-05.txt
  strategy     leicester-health-care-wellbeing-strategy-2022-27-draft-v4.txt
"""

from decimal import Decimal

import pytest

from loaders.figures import canonical, find_figures


def read(text: str) -> list[tuple[str, Decimal | None, str]]:
    return [(f.printed, f.value, f.unit) for f in find_figures(text)]


FIGURES = [  # (text, [(printed, value, unit)]), the source line in the comment above or after
    # Percentages
    # progress:163
    (
        "(12.5% vs 15.1% vs 13.1%)",
        [("12.5%", "12.5", "percent"), ("15.1%", "15.1", "percent"), ("13.1%", "13.1", "percent")],
    ),
    ("towards national 60.0% target", [("60.0%", 60, "percent")]),  # priorities:533
    ("Just 0.5% of the population", [("0.5%", "0.5", "percent")]),  # priorities:611
    # Shares in words; one glossed by a printed percentage is read once, as the percentage
    ("One in five households in Leicester", [("One in five", 20, "percent")]),  # strategy:123
    ("Half of Leicester's residents", [("Half", 50, "percent")]),  # strategy:121
    ("around one in four people", [("around one in four", 25, "percent")]),  # priorities:403
    ("two thirds of people aged 65", [("two thirds", "66.67", "percent")]),  # priorities:403
    ("over a third of early deaths", [("over a third", "33.33", "percent")]),  # priorities:367
    ("makes up half of those in greatest need", [("half", 50, "percent")]),  # priorities:163
    ("One in five (19%) with a long term", [("19%", 19, "percent")]),  # priorities:552
    ("almost three in ten residents (28%) have", [("28%", 28, "percent")]),  # priorities:404
    # Pounds, with k / m / million
    ("allocation 2021-24 (£345k) for", [("£345k", 345_000, "GBP")]),  # priorities:141
    ("Borough Council £1,150,253", [("£1,150,253", 1_150_253, "GBP")]),  # progress:154
    ("Zero Net Hub (£75m) –Leicester", [("£75m", 75_000_000, "GBP")]),  # progress:156
    ("Circa £10 million of funding", [("Circa £10 million", 10_000_000, "GBP")]),  # progress:152
    # Rates per 1,000
    # progress:241
    (
        "(14.6/1,000 vs 16.1/1,000 vs 17.9/1,000)",
        [
            ("14.6/1,000", "14.6", "per1000"),
            ("16.1/1,000", "16.1", "per1000"),
            ("17.9/1,000", "17.9", "per1000"),
        ],
    ),
    # Counts
    # progress:62
    (
        "125 registered organisations (73 Large, 28 Medium and 24 Small organisations)",
        [("125", 125, "count"), ("73", 73, "count"), ("28", 28, "count"), ("24", 24, "count")],
    ),
    ("this equates to 3,087 CYP", [("3,087", 3087, "count")]),  # priorities:503
    ("with 1000+ homes are subject", [("1000+", 1000, "count")]),  # progress:98
    ("Weight management services at all 4 tiers", [("4", 4, "count")]),  # priorities:354
    ("England, with an estimated 31,000 adults", [("31,000", 31_000, "count")]),  # strategy:206
    ("support around 60k long-term sick", [("around 60k", 60_000, "count")]),  # progress:71
    ("the target of 9.5m park users", [("9.5m", 9_500_000, "count")]),  # action-plan:69
    ("Work with 10 businesses a year", [("10", 10, "count")]),  # action-plan:131
    # priorities:405: an age masked between a count and "years" makes no duration
    (
        "supports 1920 people aged between 18 and 64 years and 2268 people aged 65+",
        [("1920", 1920, "count"), ("2268", 2268, "count")],
    ),
    # progress:191: a month two words back does not make a date of a count
    (
        "Up to the end of November 2024, 1298 physical and mental health checks",
        [("1298", 1298, "count")],
    ),
    # Qualifiers stay in the printed text
    ("In excess of 150 have enrolled", [("In excess of 150", 150, "count")]),  # progress:47
    ("Just over 10,000 carers", [("Just over 10,000", 10_000, "count")]),  # priorities:437
    ("estimated just under 3000 people", [("just under 3000", 3000, "count")]),  # priorities:223
    ("Around 30 people die by suicide in", [("Around 30", 30, "count")]),  # strategy:143
    ("over 80% of people will have", [("over 80%", 80, "percent")]),  # progress:258
    ("About 6% of all deaths", [("About 6%", 6, "percent")]),  # priorities:189
    ("around 40% of premature deaths", [("around 40%", 40, "percent")]),  # strategy:195
]
UNPRINTED = [  # rules the module states that no source prints yet, so no line to cite
    ("£2.5m and £1bn", [("£2.5m", 2_500_000, "GBP"), ("£1bn", 1_000_000_000, "GBP")]),
    ("3.2 per 1,000 births", [("3.2 per 1,000", "3.2", "per1000")]),
    ("one in three people", [("one in three", "33.33", "percent")]),
    ("at least a quarter of", [("at least a quarter", 25, "percent")]),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES + UNPRINTED)
def test_figures_as_printed(text, expected):
    assert read(text) == [(printed, Decimal(str(value)), unit) for printed, value, unit in expected]


NOT_FIGURES = [
    # Years, year ranges, financial years
    "came into force in April 2024",  # progress:98
    "In 2016/17 breast feeding initiation",  # priorities:255
    "in Leicestershire in 24/25, notably",  # progress:190
    "(2017-2021)",  # action-plan:54
    "2022-27",  # strategy:9
    "The Joint Health and Wellbeing Strategy (JHWS) 2022-32",  # progress:10
    "Survey 2018 indicate that",  # priorities:133
    "Strategy 2020 – 2023",  # priorities:190
    "Inequalities Grant allocation 202-1-24",  # priorities:265 (the amount left out)
    # Dates
    "HEALTH AND WELLBEING BOARD: 29 MAY 2025",  # progress:3
    "was held in Feb 25 to bring",  # progress:227
    "As of September 21 Leicester City Council",  # priorities:405
    "27 th Jan 2022",  # priorities:668
    "county and Rutland residents from 01st April",  # progress:237
    # Ages
    "people on the LD Register, aged 14+, have received",  # progress:258
    "chlamydia screening in females aged 15 to 24",  # progress:238
    "children aged 5-16 years has",  # priorities:480
    "before the age of 14.",  # priorities:480
    "with those aged 65+ being less likely",  # strategy:253
    "all children and adults (14+) on",  # action-plan:114
    "outlier for under 75 years or age death",  # priorities:336
    "abortion rate in the over 25s",  # progress:241
    "uptake of AHCs for 14–19-year-olds",  # progress:263
    # Durations, frequencies, speeds
    "with 10 year contracts agreed",  # progress:190
    "fund the project for a further 12 months",  # progress:191
    "households 4 times per year",  # progress:195
    "planned 4 week waiting time standards",  # priorities:532
    "inspection which will take place every 4 years",  # progress:98
    "giving 20 or more hours care a week",  # priorities:436
    "over next 15 years",  # priorities:163
    "between five and 15 years",  # strategy:181
    "less than the recommended 150 minutes of exercise",  # strategy:224-225
    "To deliver a programme of 20 mph zones",  # action-plan:63
    # Labels and item numbers
    "Prevalence of obesity in Year 6",  # priorities:338
    "Key stage 4 attainment score",  # priorities:285
    "a high risk factor for Type 2 Diabetes",  # priorities:335
    "people who require tier 3 specialist",  # priorities:348
    "Local Transport Plan 4 phase 1 is complete",  # progress:108
    "over the next complete cycle (cycle 2)",  # action-plan:109
    "11. The table below details the progress",  # progress:40
    "Wave 3 – successful Social Housing Landlords",  # progress:153
    "received a compliant C2 judgement",  # progress:98
    "a. Best Start for Life;",  # progress:22
    # Numbers glued to letters or dashes: names and codes
    "This rate has increased through the COVID-19 pandemic.",  # strategy:181
    "prior to the Covid-19 pandemic",  # progress:163
    "Home Upgrade Grant phase 2 (HUG2)",  # progress:158
    "This is called CORE20PLUS5.",  # strategy:80
    "access to S106 development grants",  # priorities:172
    "hot food takeaways (A5) within a 400m radius",  # action-plan:44 (400m is a length)
    "the 3rd and 4th",  # priorities:581
    "people in their 90s",  # priorities:579
    "through 1-2-1 home visits",  # progress:161
    "exceeded the Q1-3 AHC targets",  # progress:257
    "Infant Mortality Strategy 0-19 Healthy Child Programme",  # action-plan:48
    # Phone numbers, web addresses, quoted names
    "Promote 24hr Mental Health Central Access Point - 0808 800 3302 for anyone",  # district:29
    "https://democracy.leics.gov.uk/documents/s182800/SHP%20JHWS%20Progress%20Update_23May24_v9%20FINAL.pdf",  # noqa: E501 progress:308
    "'First 1001 Critical days'",  # priorities:97
    "Best Start in Life (first 1001 critical days)",  # progress:205 (a duration, unquoted)
    "promote good communication skills from 0-25.",  # strategy:181
    "development and environmental sustainability.¹",  # strategy:56 (a footnote mark)
    "the recommended five fruit",  # strategy:222
    # Vague words
    "Obesity is a complex problem, influenced by many different factors",  # priorities:334
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text):
    assert find_figures(text) == []


def test_a_range_gives_one_figure_per_end_with_a_note():
    found = find_figures("Currently at 70%-80%")  # action-plan:114
    assert [(f.printed, f.value, f.note) for f in found] == [
        ("70%", 70, "lower end of the range printed '70%-80%'"),
        ("80%", 80, "upper end of the range printed '70%-80%'"),
    ]
    between = find_figures("it is estimated that between 34,000 and 38,000 people")  # 222
    assert [(f.value, f.note) for f in between] == [
        (34000, "lower end of the range printed '34,000 and 38,000'"),
        (38000, "upper end of the range printed '34,000 and 38,000'"),
    ]


def test_a_number_that_does_not_group_has_no_value():
    # strategy:126 and action-plan:131: the caller reports these, nothing is guessed
    found = find_figures("between 34,000-38,0000 people")
    assert [(f.printed, f.value, f.note) for f in found] == [
        ("34,000", 34000, "lower end of the range printed '34,000-38,0000'"),
        ("38,0000", None, "upper end of the range printed '34,000-38,0000'"),
    ]
    assert [(f.printed, f.value) for f in find_figures("Reach 72,3000 employee's")] == [
        ("72,3000", None)
    ]


def test_offsets_point_at_the_printed_text():
    text = (  # progress:197
        "Blaby: received 1,235 referrals into the service, with over 16,000 attendances "
        "in our programmes and 1132 participants across 42 activities."
    )
    found = find_figures(text)
    assert [f.printed for f in found] == ["1,235", "over 16,000", "1132", "42"]
    assert all(text[f.start : f.end] == f.printed for f in found)


@pytest.mark.parametrize(
    ("value", "spelled"),
    [(Decimal("60.0"), "60"), (Decimal("9.5") * 10**6, "9500000"), (Decimal("14.60"), "14.6")],
)
def test_canonical_spelling(value, spelled):
    assert str(canonical(value)) == spelled
