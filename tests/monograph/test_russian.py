"""A monograph in Russian is read by the same components with the Russian vocabulary and section
model (rules/ru/): composition, regimens, storage and shelf life, not a title alone."""
import json

import pytest

from fhir_adapter import read_monograph
from fhir_adapter.monograph import lexicon, rules

TEXT = """ТЕСТАМОЛ таблетки 500 мг

СОСТАВ
1 таблетка содержит:
действующее вещество: тестамол - 500 мг;
вспомогательные вещества: крахмал картофельный - 20 мг, магния стеарат - 5 мг.

ПОКАЗАНИЯ К ПРИМЕНЕНИЮ
Головная боль; зубная боль.

СПОСОБ ПРИМЕНЕНИЯ И ДОЗЫ
Внутрь, по 1 таблетке 2-3 раза в сутки в течение 5 дней. Максимальная суточная доза - 4 г.
Детям по 10 мг/кг каждые 8 часов.

ПОБОЧНОЕ ДЕЙСТВИЕ
Редко: кожная сыпь, зуд.

УСЛОВИЯ ХРАНЕНИЯ
В защищённом от света месте при температуре не выше 25 °С.

СРОК ГОДНОСТИ
3 года.
"""


@pytest.fixture(scope="module")
def mono():
    return read_monograph(TEXT)


def test_composition_with_russian_roles_and_units(mono):
    got = [(i.name, i.active, i.amount.quantity.value, i.amount.quantity.unit, i.amount.per.unit)
           for i in mono.ingredients]
    assert got == [("тестамол", True, 500, "mg", "{tablet}"), ("крахмал картофельный", False, 20, "mg", "{tablet}"),
                   ("магния стеарат", False, 5, "mg", "{tablet}")]


def test_regimens_by_the_russian_frequency_and_course_rules(mono):
    got = [(d.dose.value, d.dose.unit, d.frequency, d.frequency_max, d.period, d.period_unit,
            (d.duration.value, d.duration.unit) if d.duration else None, d.route) for d in mono.dosages]
    assert got == [(1, "{tablet}", 2, 3, 1, "d", (5, "d"), "oral"),
                   (10, "mg/kg", 1, None, 8, "h", None, "oral")]  # the 4 g daily maximum is no dose


def test_storage_shelf_life_and_effect_frequency(mono):
    assert (mono.storage.temperature_high, mono.storage.protect_from_light) == (25, True)
    assert (mono.shelf_life.value, mono.shelf_life.unit) == (3, "a")
    assert [(u.text, u.frequency) for u in mono.undesirable_effects] == [("кожная сыпь", "Редко"), ("зуд", "Редко")]


def test_every_vocabulary_file_validates_and_languages_do_not_collide(tmp_path):
    lx = lexicon.lexicon()
    assert lx.units["мг"] == lx.units["mg"] == "mg" and lx.time_words["суток"] == "d"
    bad = json.loads((rules.HERE / "ru" / "vocabulary.json").read_text())
    bad["time_words"]["сутки"] = "fortnight"
    path = tmp_path / "vocabulary.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(rules.RulesError, match="time_words"):
        rules._load(path, "vocabulary.schema.json")
