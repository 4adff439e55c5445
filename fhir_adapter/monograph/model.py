"""The typed Monograph: what a drug monograph says, with no FHIR in it.

Every fact carries the character span of the text it was read from, so a reader
can point at the words each item came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# The kinds of section a monograph has, whatever its family or language calls them: the rules
# (rules/<language>/<family>/sections.json) map headings to these, and each reader reads its own.
SECTION_KINDS = (
    "title", "description", "trade_name", "inn", "composition", "dose_form", "appearance", "parts",
    "pharmacotherapeutic_group", "atc", "pharmacology", "pharmacodynamics", "pharmacokinetics", "preclinical",
    "clinical_studies", "boxed_warning", "indications", "contraindications", "cautions", "pregnancy", "dosage",
    "administration", "undesirable_effects", "overdose", "interactions", "warnings", "driving", "excipients",
    "incompatibilities", "release_form", "packaging", "storage", "shelf_life", "dispensing", "manufacturer",
    "registration",
    # text that is not the label's clinical content: a table of contents, what is written for patients
    # (medication guide, package leaflet), the carton, and headed sections no reader needs
    "toc", "patient_information", "carton", "other",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start:self.end]


@dataclass
class Quantity:
    """A number with a unit as written, normalised to a lower-case unit key (mg, ml, d...)."""

    value: float
    unit: str
    high: float | None = None  # set for ranges such as 0.1-0.2 mg
    comparator: str | None = None  # "<=" for "not more than", ">=" for "at least"

    @property
    def is_range(self) -> bool:
        return self.high is not None and self.high != self.value


@dataclass
class Amount:
    """An amount per unit of presentation: 3.75 mg per 1 ml, 400 mg per 1 capsule."""

    quantity: Quantity
    per: Quantity | None = None
    qualifier: str | None = None  # "to pH 7.8", "up to 1 ml", "in terms of total protein"


@dataclass
class Ingredient:
    name: str
    active: bool
    span: Span
    amount: Amount | None = None
    note: str | None = None


@dataclass
class Section:
    kind: str  # one of SECTION_KINDS
    heading: str | None  # the heading as written, None when it was inferred
    span: Span
    inferred: bool = False
    label: str | None = None  # sub-heading within a section ("Adults", "Mental disorders")
    confidence: float = 1.0  # for an inferred section: how surely its content puts it there (0-1)


@dataclass
class Population:
    """Who a fact applies to: an age band, a physiological state, an impairment."""

    text: str
    age_low: float | None = None  # years
    age_high: float | None = None
    age_high_exclusive: bool = False
    state: str | None = None  # "pregnancy", "breast-feeding", "renal-impairment", "elderly"
    weight_low: float | None = None  # kg: "children weighing 40 kg or more"
    weight_high: float | None = None


@dataclass
class ClinicalItem:
    """One indication, contraindication, warning or undesirable effect."""

    kind: str  # indication | contraindication | warning | undesirable-effect
    text: str
    span: Span
    group: str | None = None  # sub-heading or system organ class it was listed under
    frequency: str | None = None  # "often", "rarely" for undesirable effects
    population: Population | None = None
    note: str | None = None


@dataclass
class Interaction:
    interactant: str
    effect: str
    span: Span


@dataclass
class Dosage:
    text: str
    span: Span
    dose: Quantity | None = None
    daily_total: Quantity | None = None  # "2.4-4.8 g per day" with no frequency
    frequency: int | None = None
    frequency_max: int | None = None
    period: float | None = None
    period_unit: str | None = None  # d, h, wk, mo
    duration: Quantity | None = None
    count: int | None = None  # "for 2 doses": how many administrations the course has
    route: str | None = None  # canonical route key: oral, intravenous...
    method: str | None = None  # drip, jet, infusion
    max_per_administration: Quantity | None = None
    max_per_day: Quantity | None = None
    population: Population | None = None
    indication: str | None = None  # label of the indication this regimen is for
    condition: str | None = None  # patient characteristic such as a creatinine clearance band
    condition_range: Quantity | None = None
    repeat: str | None = None


@dataclass
class StorageCondition:
    span: Span
    temperature_low: float | None = None
    temperature_high: float | None = None
    protect_from_light: bool = False
    dry: bool = False
    protect_from_freezing: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class PackageLevel:
    """One level of packaging: a container holding a count of what is inside it."""

    container: str  # canonical container key: ampoule, blister, box, bottle...
    text: str
    counts: list[int] = field(default_factory=list)  # alternatives: 1 or 2 blister packs
    fill_volumes: list[Quantity] = field(default_factory=list)  # per primary container
    material: str | None = None
    inner: str | None = None  # what it holds: a container key or a unit of presentation
    strength: Quantity | None = None  # "250 mg: 20 or 60 tablets": the strength these packs hold


@dataclass
class Presentation:
    """One marketed pack: nested levels from the outermost in, with their counts resolved."""

    levels: list[tuple[str, int]]  # (container key, quantity in the level above), outermost first
    unit_count: int  # total units of presentation in the pack
    unit: str  # ampoule, capsule, tablet...
    fill_volume: Quantity | None = None
    materials: dict[str, str] = field(default_factory=dict)
    units_in_innermost: int = 1  # capsules in one blister; 1 where the innermost container is the unit
    span: Span | None = None
    strength: Quantity | None = None  # the strength the pack holds, where the label names one per pack


@dataclass
class Classification:
    system: str  # "atc", "pharmacotherapeutic-group" or "purpose" (a Drug Facts purpose)
    text: str
    span: Span
    code: str | None = None


@dataclass
class Warning:
    """Something the reader could not place or parse, with the text it concerns."""

    message: str
    span: Span | None = None
    text: str | None = None


@dataclass
class Product:
    name: str
    span: Span
    inn: str | None = None
    strength: Amount | None = None
    dose_form: str | None = None  # as written
    dose_form_key: str | None = None
    unit_of_presentation: str | None = None  # ampoule, capsule, tablet, vial
    routes: list[str] = field(default_factory=list)
    registration_number: str | None = None
    ndc: list[str] = field(default_factory=list)
    description: str | None = None  # the lead paragraph
    appearance: str | None = None
    total_volume: Quantity | None = None
    pack_count: int | None = None  # "5 pcs." in the title line
    # every strength of a label that describes several ("10 mg, 20 mg or 40 mg"), in the label's
    # order: each becomes a Medication of its own; empty for a label of one strength
    strengths: list[Amount] = field(default_factory=list)


@dataclass
class Monograph:
    text: str
    family: str
    product: Product
    sections: list[Section] = field(default_factory=list)
    ingredients: list[Ingredient] = field(default_factory=list)
    indications: list[ClinicalItem] = field(default_factory=list)
    contraindications: list[ClinicalItem] = field(default_factory=list)
    warnings_precautions: list[ClinicalItem] = field(default_factory=list)
    undesirable_effects: list[ClinicalItem] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    dosages: list[Dosage] = field(default_factory=list)
    administration: list[str] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    storage: StorageCondition | None = None
    shelf_life: Quantity | None = None
    shelf_life_span: Span | None = None
    package_levels: list[PackageLevel] = field(default_factory=list)
    presentations: list[Presentation] = field(default_factory=list)
    overdose: str | None = None
    warnings: list[Warning] = field(default_factory=list)
    language: str = "en"

    def section_text(self, kind: str) -> str:
        return "\n\n".join(self.text[s.span.start:s.span.end] for s in self.sections if s.kind == kind)
