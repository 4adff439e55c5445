"""Words monographs use for routes, dose forms, containers and populations, as keys.

The keys are plain names; the terminology stage maps them to EDQM and SNOMED CT codes.
"""
from __future__ import annotations

import re

# route key -> patterns in running text ("intravenously", "for subcutaneous administration")
ROUTES = {
    "intravenous": r"intravenous(?:ly)?|\bi\.?v\.?(?=\s|,|$)|\bIV\b",
    "intramuscular": r"intramuscular(?:ly)?|\bi\.?m\.?(?=\s|,|$)|\bIM\b",
    "subcutaneous": r"subcutaneous(?:ly)?|\bs\.?c\.?(?=\s|,|$)",
    "oral": r"\boral(?:ly)?\b|by mouth|per os|\bswallow|^inside\b|\b(?:taken|take|administered) inside\b",
    "sublingual": r"sublingual(?:ly)?|under the tongue",
    "rectal": r"\brectal(?:ly)?\b",
    "topical": r"\btopical(?:ly)?\b|\bcutaneous(?:ly)?\b|to the skin",
    "ophthalmic": r"\bocular\b|ophthalmic|into the eyes?|conjunctival",
    "nasal": r"\bnasal(?:ly)?\b|intranasal(?:ly)?",
    "inhalation": r"inhal(?:ation|ed)",
    "transdermal": r"transdermal(?:ly)?",
    "intrathecal": r"intrathecal(?:ly)?",
    "vaginal": r"\bvaginal(?:ly)?\b",
}
# Tried only where a word starts: inside a word no branch is tried at all.
ROUTE_RE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in ROUTES.items()) + ")", re.I)

# dose form key -> pattern; the most specific first.
DOSE_FORMS = [
    ("concentrate-for-solution-for-infusion", r"concentrate for (the )?(preparation of )?solution for infusion"),
    ("powder-for-solution-for-injection", r"(lyophili[sz]ate|powder) for (the )?(preparation of )?solution for injection"),
    ("solution-for-infusion", r"solution for infusions?"),
    ("solution-for-injection", r"solution for (intravenous|intramuscular|subcutaneous|injection)[\w\s,]*"
                               r"(administration|injection|use)|injection solution|solution for injections?"
                               r"|injection,? solution"),
    ("oral-drops", r"oral drops|drops for oral (use|administration)"),
    ("oral-solution", r"oral solution|solution for oral (use|administration)|syrup"),
    ("oral-suspension", r"oral suspension|suspension for oral"),
    ("eye-drops", r"eye drops"),
    ("film-coated-tablet", r"film[- ]coated tablets?"),
    ("prolonged-release-tablet", r"(prolonged|extended|modified|sustained)[- ]release tablets?"),
    ("hard-capsule", r"hard (gelatin )?capsules?"),
    ("capsule", r"capsules?"),
    ("tablet", r"tablets?"),
    ("cream", r"\bcream\b"), ("ointment", r"ointment"), ("gel", r"\bgel\b"),
    ("suppository", r"suppositor(y|ies)"),
    ("solution", r"\bsolution\b"),
]
DOSE_FORM_RES = [(k, re.compile(p, re.I)) for k, p in DOSE_FORMS]
# The unit of presentation a dose form comes in, when the text does not say.
FORM_UNIT = {"capsule": "capsule", "hard-capsule": "capsule", "tablet": "tablet", "film-coated-tablet": "tablet",
             "prolonged-release-tablet": "tablet", "suppository": "suppository"}

CONTAINERS = [
    ("ampoule", r"ampoules?|ampuls?|ampules?"),
    ("vial", r"vials?"),
    ("prefilled-syringe", r"(?:pre-?filled |single-?use |disposable )?syringes?|syringe tubes?"),
    ("pen", r"(?:pre-?filled |injection |single-?use )pens?"),
    ("cartridge", r"cartridges?"),
    ("blister", r"blisters?(?: packs?)?|contour (cell |cellular )?packs?|strips?"),
    ("bottle", r"bottles?|flasks?"),
    ("jar", r"\bjars?\b"),
    ("tube", r"\btubes?\b"),
    ("sachet", r"sachets?"),
    ("bag", r"\bbags?\b"),
    ("box", r"cardboard (box(es)?|packs?)|cartons?(?: packs?| boxes)?|(carton|cardboard) packs?|\bboxe?s?\b|"
            r"packs? of cardboard|cardboard"),
    ("pack", r"(?:plastic |paper |foil )?(?:packs?|packages?)"),
]
CONTAINER_RES = [(k, re.compile(rf"\b(?:{p})", re.I)) for k, p in CONTAINERS]
UNITS_OF_PRESENTATION = {
    "capsule": r"capsules?", "tablet": r"tablets?", "suppository": r"suppositor(?:y|ies)",
    "sachet": r"sachets?", "ampoule": r"ampoules?", "vial": r"vials?",
}


def routes_in(text: str) -> list[str]:
    """Route keys named in text, in the order they first appear."""
    found: list[str] = []
    for m in ROUTE_RE.finditer(text):
        if m.lastgroup not in found:
            found.append(m.lastgroup)
    return found


def dose_form_in(text: str) -> tuple[str, str] | None:
    """(key, words as written) of the first dose form named in text."""
    best = None
    for key, rx in DOSE_FORM_RES:
        m = rx.search(text)
        if m and (best is None or m.start() < best[2] or (m.start() == best[2] and len(m.group(0)) > len(best[1]))):
            best = (key, m.group(0), m.start())
    return (best[0], best[1]) if best else None


def container_in(text: str) -> str | None:
    best = None
    for key, rx in CONTAINER_RES:
        m = rx.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (key, m.start())
    return best[0] if best else None
