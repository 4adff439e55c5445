"""Words monographs use for routes, dose forms, containers and populations, as keys.

The keys are plain names; the terminology stage maps them to EDQM and SNOMED CT codes.
"""
from __future__ import annotations

import re

from .lexicon import lexicon

# route key -> patterns in running text ("intravenously", "for subcutaneous administration")
ROUTES = {
    "intravenous": r"intravenous(?:ly)?|\bi\.?v\.?(?=\s|,|$)|\bIV\b",
    "intramuscular": r"intramuscular(?:ly)?|\bi\.?m\.?(?=\s|,|$)|\bIM\b",
    "subcutaneous": r"subcutaneous(?:ly)?|\bs\.?c\.?(?=\s|,|$)",
    "oral": r"\boral(?:ly)?\b|by mouth|per os|\bswallow|^inside\b|\b(?:taken|take|administered) inside\b",
    "sublingual": r"sublingual(?:ly)?|under the tongue",
    "rectal": r"\brectal(?:ly)?\b",
    "topical": r"\btopical(?:ly)?\b|\bcutaneous(?:ly)?\b|to the skin|\bexternal(?:ly)?\b|for external use",
    "ophthalmic": r"\bocular\b|ophthalmic|into the eyes?|conjunctival",
    "nasal": r"\bnasal(?:ly)?\b|intranasal(?:ly)?",
    "inhalation": r"inhal(?:ation|ed)",
    "transdermal": r"transdermal(?:ly)?",
    "intrathecal": r"intrathecal(?:ly)?",
    "vaginal": r"\bvaginal(?:ly)?\b",
}
# ...and as other languages write them (rules/<language>/vocabulary.json)
for _route, _patterns in lexicon().routes.items():
    ROUTES[_route] = "|".join([ROUTES[_route], *_patterns]) if _route in ROUTES else "|".join(_patterns)
# Tried only where a word starts: inside a word no branch is tried at all.
ROUTE_RE = re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in ROUTES.items()) + ")", re.I)

# dose form key -> pattern; the most specific first.
DOSE_FORMS = [
    ("concentrate-for-solution-for-infusion", r"concentrate for (the )?(preparation of )?solution for infusion"),
    ("powder-for-solution-for-injection", r"(lyophili[sz]ate|powder) for (the )?(preparation of )?solution for injection"
                                          # a US title's "GEMCITABINE for injection": a dry powder to reconstitute
                                          r"|(?<![\w-])(?<!solution )(?<!suspension )(?<!water )for injection(?=,|\s*$|\s+for\b)"),
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
DOSE_FORMS = lexicon().dose_forms + DOSE_FORMS  # other languages' words first: they never overlap English ones
# one scan each instead of one per form or container (both are asked of many lines)
_DOSE_FORM_KEYS = [k for k, _ in DOSE_FORMS]
DOSE_FORM_RE = re.compile("|".join(f"(?P<f{i}>{p})" for i, (_, p) in enumerate(DOSE_FORMS)), re.I)
# The unit of presentation a dose form comes in, when the text does not say.
FORM_UNIT = {"capsule": "capsule", "hard-capsule": "capsule", "tablet": "tablet", "film-coated-tablet": "tablet",
             "prolonged-release-tablet": "tablet", "suppository": "suppository"}

# The route a dose form implies when the text names none: a tablet is swallowed, a cream goes on the skin.
FORM_ROUTE = {"capsule": "oral", "hard-capsule": "oral", "tablet": "oral", "film-coated-tablet": "oral",
              "prolonged-release-tablet": "oral", "oral-drops": "oral", "oral-solution": "oral",
              "oral-suspension": "oral", "cream": "topical", "ointment": "topical", "gel": "topical",
              "eye-drops": "ophthalmic", "suppository": "rectal"}

# container key -> pattern, every language's words (rules/<language>/vocabulary.json), most specific first
CONTAINERS = lexicon().containers
_CONTAINER_KEYS = [k for k, _ in CONTAINERS]
CONTAINER_RE = re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(CONTAINERS))
                          + r")(?![^\W\d_])", re.I)
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
    """(key, words as written) of the first dose form named in text (the more specific form
    where two start at the same place: the table lists them first)."""
    m = DOSE_FORM_RE.search(text)
    return (_DOSE_FORM_KEYS[int(m.lastgroup[1:])], m.group(0)) if m else None


def container_in(text: str) -> str | None:
    """The first container named in text."""
    m = CONTAINER_RE.search(text)
    return _CONTAINER_KEYS[int(m.lastgroup[1:])] if m else None
