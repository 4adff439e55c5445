"""R5 Dosage from a parsed regimen."""
from __future__ import annotations

from ..monograph.model import Dosage
from ..terminology.lookup import quantity, route_concept
from .common import Ids, qty, source_span


def _duration(d: Dosage) -> dict:
    q = d.duration
    if q is None:
        return {}
    if q.is_range:
        return {"boundsRange": {"low": quantity(q.value, q.unit), "high": quantity(q.high, q.unit)}}
    return {"boundsDuration": quantity(q.value, q.unit)}


def dosage(d: Dosage, ids: Ids, seq: int) -> dict:
    out: dict = {"extension": source_span(d.span, ids("doc")), "sequence": seq, "text": d.text}
    repeat: dict = {}
    if d.dose is not None and d.frequency:
        repeat.update({"frequency": d.frequency, "period": d.period or 1, "periodUnit": d.period_unit or "d"})
        if d.frequency_max and d.frequency_max > d.frequency:
            repeat["frequencyMax"] = d.frequency_max
    elif d.daily_total is not None:
        repeat.update({"period": 1, "periodUnit": "d"})
    repeat.update(_duration(d))
    if d.count:
        repeat["count"] = d.count
    if repeat:
        out["timing"] = {"repeat": repeat}
    if d.repeat:
        out["additionalInstruction"] = [{"text": d.repeat}]
    if d.route:
        out["route"] = route_concept(d.route)
    if d.method:
        out["method"] = {"text": d.method}
    if d.dose is not None:
        if d.dose.is_range:
            out["doseAndRate"] = [{"doseRange": {"low": qty(d.dose), "high": qty(d.dose, d.dose.high)}}]
        else:
            out["doseAndRate"] = [{"doseQuantity": qty(d.dose)}]
    elif d.daily_total is not None:
        # "2.4-4.8 g per day" is an amount per day, not a dose per administration.
        unit = d.daily_total.unit if d.daily_total.unit.endswith("/d") else f"{d.daily_total.unit}/d"  # "10 mg/day"
        t = d.daily_total
        if t.is_range:
            out["doseAndRate"] = [{"rateRange": {"low": quantity(t.value, unit), "high": quantity(t.high, unit)}}]
        else:
            out["doseAndRate"] = [{"rateQuantity": quantity(t.value, unit)}]
    if d.max_per_day:
        out["maxDosePerPeriod"] = [{"numerator": qty(d.max_per_day), "denominator": quantity(1, "d")}]
    if d.max_per_administration:
        out["maxDosePerAdministration"] = qty(d.max_per_administration)
    return out
