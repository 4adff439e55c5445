"""Regimens of every shape: periods without a number, course lengths in words, counted units per
day, a number of doses, and table columns whose head gives the unit."""
from fhir_adapter import read_monograph

HEAD = "Testamol tablets 10 mg\n\nCOMPOSITION\nEach tablet contains 10 mg testamol.\n\nDOSAGE AND ADMINISTRATION\n"


def regimens(body: str) -> list[tuple]:
    mono = read_monograph(HEAD + body + "\n")
    return [(d.dose and (d.dose.value, d.dose.high, d.dose.unit), d.frequency, d.period, d.period_unit,
             d.duration and (d.duration.value, d.duration.unit), d.count) for d in mono.dosages]


def test_every_week_is_once_weekly_never_daily():
    assert regimens("Patients may benefit from an increase to 40 mg every week.") == [
        ((40, None, "mg"), 1, 1, "wk", None, None)]
    assert regimens("Take 70 mg weekly.") == [((70, None, "mg"), 1, 1, "wk", None, None)]


def test_a_course_length_in_words():
    assert regimens("The starting dose is 2.5 mg twice daily for three days.") == [
        ((2.5, None, "mg"), 2, 1, "d", (3, "d"), None)]


def test_counted_units_a_day_are_taken_once_a_day_but_milligrams_a_day_are_a_daily_total():
    assert regimens("Infants: 1-2 drops a day.") == [((1, 2, "[drp]"), 1, 1, "d", None, None)]
    mono = read_monograph(HEAD + "Adults: 40 mg a day in two divided doses.\n")
    assert mono.dosages[0].dose is None and mono.dosages[0].daily_total.value == 40


def test_a_number_of_doses_is_the_count_of_the_course():
    assert regimens("Cold sores: 1 gram every 12 hours for 2 doses.") == [((1, None, "g"), 1, 12, "h", None, 2)]


def test_a_table_column_head_gives_the_unit_of_its_cells():
    body = ("Group | Creatinine Clearance (mL/min) | Dosage (mg) | Frequency\n"
            "Normal | >80 | 500 to 1,500 | Every 12 hours\nSevere | <30 | 250 to 500 | Every 12 hours\n")
    assert regimens(body) == [((500, 1500, "mg"), 1, 12, "h", None, None), ((250, 500, "mg"), 1, 12, "h", None, None)]


def test_a_column_of_maxima_keeps_no_unit_from_its_head():
    body = "Patients | Usual dose (mg) | Maximum dose (mg)\nAdults | 5 | 20\n"
    assert all(d[0] is None or d[0][0] != 20 for d in regimens(body))


def test_options_of_a_dose_said_with_one_unit_are_each_a_dose():
    got = regimens("The recommended starting dose is 10 or 20 mg once daily. The dose is 10, 20 or 40 mg once daily.")
    assert [g[:4] for g in got] == [((v, None, "mg"), 1, 1, "d") for v in (10, 20, 10, 20, 40)]


def test_one_or_two_tablets_is_the_range_of_the_two():
    assert [g[:4] for g in regimens("Take 1 or 2 tablets every 4 hours.")] == [((1, 2, "{tablet}"), 1, 4, "h")]


def test_numbered_sub_headings_name_the_indication_and_population_and_scope_a_maximum():
    text = ("Testamol tablets 10 mg\n\n2 DOSAGE AND ADMINISTRATION\n\n"
            "2.1 Primary Hypercholesterolemia\nThe dosage range is 10 to 80 mg once daily.\n\n"
            "2.2 Heterozygous Familial Hypercholesterolemia in Pediatric Patients (10–17 years of age)\n"
            "The starting dose is 10 mg once daily; the maximum recommended dose is 20 mg/day.\n")
    adult, child = read_monograph(text).dosages
    assert (adult.indication, adult.max_per_day, adult.population) == ("Primary Hypercholesterolemia", None, None)
    assert child.indication.startswith("Heterozygous Familial")
    assert (child.population.age_low, child.population.age_high) == (10, 17)
    assert (child.max_per_day.value, child.max_per_day.unit) == (20, "mg")


def test_a_maximum_said_in_a_part_of_its_own_caps_every_regimen_but_one_in_a_part_only_that_part():
    body = "Adults:\nGive 500 mg twice a day.\n\nChildren:\nGive 250 mg twice a day.\n\n"
    got = read_monograph(HEAD + "Maximum daily dose 2 g.\n\n" + body).dosages
    assert [(d.dose.value, d.max_per_day and d.max_per_day.value) for d in got] == [(500, 2), (250, 2)]
    got = read_monograph(HEAD + body + "Maximum daily dose 1 g.\n").dosages
    assert [(d.dose.value, d.max_per_day and d.max_per_day.value) for d in got] == [(500, None), (250, 1)]
