"""The pipeline is one-way: a stage imports only from the stages before it."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "fhir_adapter"
ORDER = ["monograph", "terminology", "mapping", "validation", "store", "server"]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            parts = path.relative_to(PKG).parts[:-1]
            base = list(parts[: len(parts) - (node.level - 1)]) if node.level > 1 else list(parts)
            mod = (node.module or "").split(".")
            target = (base + mod) if node.level else mod
            if target and target[0]:
                out.add(target[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fhir_adapter."):
            out.add(node.module.split(".")[1])
    return out


def test_stages_import_only_earlier_stages():
    bad = []
    for i, stage in enumerate(ORDER):
        for f in (PKG / stage).rglob("*.py"):
            for target in imports_of(f):
                if target in ORDER and ORDER.index(target) > i:
                    bad.append(f"{f.relative_to(PKG)} imports {target}")
    assert bad == []
