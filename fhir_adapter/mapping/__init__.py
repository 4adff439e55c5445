"""Mapping stage: Monograph -> FHIR R5 resources (one module per resource kind)."""
from .bundle import bundle_json, resources, to_bundle, validated_bundle

__all__ = ["bundle_json", "resources", "to_bundle", "validated_bundle"]
