import json
import subprocess
import sys

from .conftest import FIXTURES, SEED

CMD = [sys.executable, "-m", "fhir_adapter.cli"]


def run(*args, input=None):
    return subprocess.run(CMD + list(args), capture_output=True, text=True, input=input, timeout=120)


def test_convert_to_stdout_with_warnings_on_stderr():
    p = run("convert", str(SEED))
    assert p.returncode == 0, p.stderr
    b = json.loads(p.stdout)
    assert b["resourceType"] == "Bundle" and b["type"] == "collection"
    assert "warning:" in p.stderr and "heading missing" in p.stderr


def test_convert_many_files_to_one_bundle_atomically(tmp_path):
    out = tmp_path / "out.json"
    p = run("convert", str(SEED), str(FIXTURES / "examplin.txt"), "-o", str(out))
    assert p.returncode == 0, p.stderr
    b = json.loads(out.read_text())
    names = {e["resource"]["code"]["text"] for e in b["entry"] if e["resource"]["resourceType"] == "Medication"}
    assert names == {"Cellex", "Examplin"}
    assert [f.name for f in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_convert_xml():
    p = run("convert", str(SEED), "--format", "xml")
    assert p.returncode == 0, p.stderr
    assert "<Bundle" in p.stdout and 'xmlns="http://hl7.org/fhir"' in p.stdout


def test_missing_and_empty_input_fail_with_one_line(tmp_path):
    p = run("convert", str(tmp_path / "nope.txt"))
    assert p.returncode != 0 and "cannot read" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    p = run("convert", str(empty))
    assert p.returncode != 0 and "empty" in p.stderr and not p.stdout


def test_stdin_input():
    p = run("convert", "-", input=SEED.read_text())
    assert p.returncode == 0 and json.loads(p.stdout)["entry"]
