"""Curated code tables: keys from the reading stage -> EDQM standard terms, SNOMED CT, UCUM.

Only codes that were checked against their source are listed; an unknown key keeps its
text and goes without a coding rather than with a guessed one.
"""
from __future__ import annotations

# route key -> (EDQM code, EDQM term, SNOMED CT code, SNOMED CT term); None where not checked.
ROUTES = {
    "oral": ("20053000", "Oral use", "26643006", "Oral route"),
    "intravenous": ("20045000", "Intravenous use", "47625008", "Intravenous route"),
    "intramuscular": ("20035000", "Intramuscular use", "78421000", "Intramuscular route"),
    "subcutaneous": ("20066000", "Subcutaneous use", "34206005", "Subcutaneous route"),
    "topical": ("20003000", "Cutaneous use", "6064005", "Topical route"),
    "sublingual": (None, "Sublingual use", "37839007", "Sublingual route"),
    "rectal": (None, "Rectal use", "37161004", "Rectal route"),
    "nasal": (None, "Nasal use", "46713006", "Nasal route"),
    "ophthalmic": (None, "Ocular use", "54485002", "Ophthalmic route"),
    "transdermal": (None, "Transdermal use", "45890007", "Transdermal route"),
    "inhalation": (None, "Inhalation use", "447694001", "Respiratory tract route"),
    "intrathecal": (None, "Intrathecal use", "72607000", "Intrathecal route"),
    "vaginal": (None, "Vaginal use", "16857009", "Vaginal route"),
}
ROUTE_TEXT = {k: ("topical" if k == "topical" else v[1].replace(" use", "").lower()) for k, v in ROUTES.items()}

# dose form key -> (EDQM code, EDQM term, SNOMED CT code, SNOMED CT term); None where not checked.
DOSE_FORMS = {
    "tablet": ("10219000", "Tablet", "385055001", "Tablet"),
    "film-coated-tablet": ("10221000", "Film-coated tablet", "385057009", "Film-coated tablet"),
    "prolonged-release-tablet": (None, "Prolonged-release tablet", None, None),
    "capsule": ("10210000", "Capsule, hard", "385049006", "Capsule"),
    "hard-capsule": ("10210000", "Capsule, hard", "385049006", "Capsule"),
    "solution-for-injection": ("11201000", "Solution for injection", "385219001", "Solution for injection"),
    "solution-for-infusion": ("11210000", "Solution for infusion", None, None),
    "concentrate-for-solution-for-infusion": (None, "Concentrate for solution for infusion", None, None),
    "powder-for-solution-for-injection": (None, "Powder for solution for injection", None, None),
    "oral-drops": ("10101000", "Oral drops, solution", None, None),
    "oral-solution": ("10105000", "Oral solution", "385023001", "Oral solution"),
    "oral-suspension": ("10106000", "Oral suspension", "385024007", "Oral suspension"),
    "eye-drops": (None, "Eye drops, solution", None, None),
    "cream": (None, "Cream", None, None),
    "ointment": (None, "Ointment", None, None),
    "gel": (None, "Gel", None, None),
    "suppository": (None, "Suppository", None, None),
    "solution": (None, "Solution", None, None),
}

# container key -> (EDQM packaging code, EDQM term); None where not checked.
CONTAINERS = {
    "ampoule": ("30001000", "Ampoule"),
    "blister": ("30007000", "Blister"),
    "bottle": ("30008000", "Bottle"),
    "box": ("30009000", "Box"),
    "vial": ("30069000", "Vial"),
    "prefilled-syringe": (None, "Pre-filled syringe"),
    "pen": (None, "Pre-filled pen"),
    "pack": (None, "Pack"),
    "sachet": (None, "Sachet"),
    "tube": (None, "Tube"),
    "bag": (None, "Bag"),
    "jar": (None, "Jar"),
    "cartridge": (None, "Cartridge"),
    "canister": (None, "Pressurised container"),
    "inhaler": (None, "Inhaler"),
    "tray": (None, "Tray"),
}

# unit key from the reading stage -> (UCUM code, human unit)
UNITS = {
    "mg": ("mg", "mg"), "g": ("g", "g"), "ug": ("ug", "µg"), "ng": ("ng", "ng"), "kg": ("kg", "kg"),
    "ml": ("mL", "mL"), "l": ("L", "L"), "ul": ("uL", "µL"), "mmol": ("mmol", "mmol"), "%": ("%", "%"),
    "[iU]": ("[iU]", "IU"), "[drp]": ("[drp]", "drop"),
    "{tablet}": ("{tablet}", "tablet"), "{capsule}": ("{capsule}", "capsule"), "{ampoule}": ("{ampoule}", "ampoule"),
    "{vial}": ("{vial}", "vial"), "{sachet}": ("{sachet}", "sachet"), "{suppository}": ("{suppository}", "suppository"),
    "{dose}": ("{dose}", "dose"), "{puff}": ("{puff}", "puff"),
    "tablet": ("{tablet}", "tablet"), "capsule": ("{capsule}", "capsule"), "ampoule": ("{ampoule}", "ampoule"),
    "vial": ("{vial}", "vial"), "sachet": ("{sachet}", "sachet"), "suppository": ("{suppository}", "suppository"),
    "min": ("min", "min"), "h": ("h", "h"), "d": ("d", "day"), "wk": ("wk", "week"), "mo": ("mo", "month"),
    "a": ("a", "year"), "Cel": ("Cel", "°C"), "ml/min": ("mL/min", "mL/min"),
}
