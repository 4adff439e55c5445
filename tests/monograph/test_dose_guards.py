"""Amounts that are not doses never become one: ceilings, laboratory thresholds, concentrations,
section numbers and table columns of maxima (the most harmful misreadings a converter can make)."""
import pytest

from fhir_adapter import read_monograph

HEAD = "Testamol tablets 10 mg\n\nCOMPOSITION\nEach tablet contains 10 mg testamol.\n\nDOSAGE AND ADMINISTRATION\n"


def doses(body: str) -> list[tuple]:
    mono = read_monograph(HEAD + body + "\n")
    return sorted((d.dose.value, d.dose.unit) for d in mono.dosages if d.dose)


@pytest.mark.parametrize("body, expected", [
    ("In patients with serum creatinine >3 mg/dL, start with 2.5 mg once daily.", [(2.5, "mg")]),
    ("Give 0.07 mg/kg once daily, adjusted up to a maximum of 0.61 mg/kg once daily.", [(0.07, "mg/kg")]),
    ("The usual dose is 5 mg once a day, not to exceed 20 mg once a day.", [(5, "mg")]),
    ("Where potassium is above 5.5 mmol once a day, withhold. Give 5 mg once a day.", [(5, "mg")]),
    ("Dilute to 2 mg/ml and give 5 mg once a day.", [(5, "mg")]),
    # a ceiling said after its amount; a strength the text refers to
    ("Give 10 mg once a day. A total of 40 mg in 24 hours must never be exceeded.", [(10, "mg")]),
    ("Give 10 mg once a day. The 40 mg tablet is not suitable for children.", [(10, "mg")]),
    ("Give 10 mg once a day; the 40 mg dose is contraindicated in severe renal impairment.", [(10, "mg")]),
    ("Testamol in the form of a 25 mg ready-for-use solution is used above 62.5 kg. Take a 5 mg tablet once daily.",
     [(5, "mg")]),
    ("Testamol 10 mg Tablets must only be taken once a week. Give 7.5 mg once weekly.", [(7.5, "mg")]),
    ("Give 7.5 mg once weekly; the schedule should not exceed a total weekly dose of 20 mg.", [(7.5, "mg")]),
])
def test_ceilings_thresholds_and_concentrations_are_not_doses(body, expected):
    assert doses(body) == expected


def test_a_section_number_is_not_an_amount():
    assert doses("2.4 Dose Adjustment in Renal Impairment\nGive 5 mg once a day.") == [(5, "mg")]


def test_a_table_column_of_maxima_is_not_a_dose():
    table = ("Take 500 mg twice a day.\n"
             "CrCl (ml/min) | Maximum daily dose | Notes\n"
             "60-89 | 2000 mg | Review yearly.\n"
             "30-59 | 1000 mg | Review every 6 months.\n")
    assert doses(table) == [(500, "mg")]


def test_a_table_column_of_doses_is_read():
    table = ("CrCl (ml/min) | Dose | Notes\n"
             "30-59 | 250 mg twice a day | Review.\n")
    assert doses(table) == [(250, "mg")]


def timings(body: str) -> list[tuple]:
    mono = read_monograph(HEAD + body + "\n")
    return [(d.dose.value, d.frequency, d.period, d.period_unit) for d in mono.dosages if d.dose]


@pytest.mark.parametrize("body, expected", [
    ("The usual dose is 7.5 mg once weekly.", [(7.5, 1, 1, "wk")]),
    ("Give 10 mg once a week.", [(10, 1, 1, "wk")]),
    ("Give 50 mg twice weekly.", [(50, 2, 1, "wk")]),
    ("Inject 40 mg every other week.", [(40, 1, 2, "wk")]),
    ("Give 20 mg 3 times weekly.", [(20, 3, 1, "wk")]),
    ("Take 100 mg once monthly.", [(100, 1, 1, "mo")]),
])
def test_weekly_and_monthly_regimens_keep_their_period(body, expected):
    assert timings(body) == expected


def test_a_thousands_separator_is_not_a_decimal_comma():
    assert doses("Take 1,500 mg once a day.") == [(1500, "mg")]


@pytest.mark.parametrize("body, expected", [
    ("Take 5 mg to 10 mg once a day.", [(5, 10, "mg")]),
    ("Give 500 mg to 1500 mg once a day.", [(500, 1500, "mg")]),
    ("Use 2 sprays in each nostril once a day.", [(2, None, "{spray}")]),
])
def test_ranges_with_the_unit_written_twice_and_dose_unit_words(body, expected):
    mono = read_monograph(HEAD + body + "\n")
    assert [(d.dose.value, d.dose.high, d.dose.unit) for d in mono.dosages if d.dose] == expected


@pytest.mark.parametrize("body", [
    "Do not take more than 10 tablets in 24 hours.",
    "The maximum daily dose for adults is 6 g.",
])
def test_more_ceilings_are_not_doses(body):
    assert doses(body + " Take 5 mg once a day.") == [(5, "mg")]


def test_another_medicines_dose_is_not_the_products():
    body = ("Eradication: testamol 10 mg twice a day in combination with clarithromycin 500 mg twice a day "
            "and omeprazole 20 mg twice a day.")
    assert doses(body) == [(10, "mg")]


def test_a_tablet_is_taken_by_mouth_when_no_route_is_written():
    mono = read_monograph(HEAD + "Take 5 mg once a day.\n")
    assert [d.route for d in mono.dosages] == ["oral"]


@pytest.mark.parametrize("body, expected", [
    # the parts a stated dose is given in are no doses of their own; a dose said twice is one regimen
    ("An alternative dose is 50 mg once a week, given as a single injection of 50 mg or two practically "
     "simultaneous injections of 25 mg.", [(50, 1, 1, "wk")]),
    ("Give 20 mg once daily as two tablets of 10 mg.", [(20, 1, 1, "d")]),
    # no stated dose of which it is a part: the dose is what the parts add up to
    ("Give two tablets of 10 mg once daily.", [(20, 1, 1, "d")]),
    ("Take 3 film-coated tablets of 0.5 mg every 8 hours.", [(1.5, 1, 8, "h")]),
    # infusions and doses may be given apart: each is a dose
    ("Give two infusions of 1000 mg two weeks apart.", [(1000, None, None, None)]),
    ("Give two doses of 500 mg 12 hours apart.", [(500, None, None, None)]),
])
def test_a_dose_given_in_parts_is_one_regimen(body, expected):
    assert timings(body) == expected


@pytest.mark.parametrize("body, expected", [
    # a sentence about doses, with none of the words that give one, is no regimen
    ("Intravenous doses of about 40 mg/m2 do not reach the cerebrospinal fluid, while doses near 400 mg/m2 "
     "produce cytotoxic levels there. Give 10 mg once a day.", [(10, "mg")]),
    ("The effectiveness of doses lower than 500 mg has not been established. Give 10 mg once a day.", [(10, "mg")]),
    # ...but a dose given after its indication, a single dose and a plain recommendation are regimens
    ("Prevention of postoperative vomiting: 10 mg (one ampoule).", [(10, "mg")]),
    ("A single dose of 20 mg is recommended.", [(20, "mg")]),
    ("Adults take 15 mg at the onset of symptoms.", [(15, "mg")]),
])
def test_a_sentence_about_doses_gives_no_regimen(body, expected):
    assert doses(body) == expected


def test_the_next_sentence_says_when_an_untimed_dose_is_given():
    mono = read_monograph(HEAD + "The single dose is 25 mg. The product is injected twice a week for 12 weeks.\n\n"
                                 "The maintenance dose is 10 mg.\n\nPatients should drink water twice a day.\n")
    got = sorted((d.dose.value, d.frequency, d.period_unit, d.duration.value if d.duration else None)
                 for d in mono.dosages if d.dose)
    # (a frequency in another paragraph belongs to no dose of this one)
    assert got == [(10, None, None, None), (25, 2, "wk", 12)], got
