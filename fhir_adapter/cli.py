"""Command line: fhir-adapter convert | validate | serve | load."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from .mapping import bundle_json, validated_bundle
from .monograph import read_monograph


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise click.ClickException(f"{path}: not a text file") from exc


def _write_atomic(path: str, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group()
@click.version_option(package_name="fhir-adapter")
def main() -> None:
    """Turn drug monographs into FHIR R5 resources."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", "out", help="Write the Bundle here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["json", "xml"]), default="json", show_default=True)
def convert(files: tuple[str, ...], out: str | None, fmt: str) -> None:
    """Convert monograph FILE(s) into one FHIR R5 collection Bundle."""
    entries: list[dict] = []
    first_id = None
    for path in files:
        text = _read_text(path)
        if not text.strip():
            raise click.ClickException(f"{path}: empty monograph")
        mono = read_monograph(text)
        for w in mono.warnings:
            where = f" at {w.span.start}-{w.span.end}" if w.span else ""
            click.echo(f"warning: {path}{where}: {w.message}" + (f": {w.text[:100]!r}" if w.text else ""), err=True)
        b = bundle_json(mono)
        first_id = first_id or b["id"]
        entries.extend(b["entry"])
    bundle = validated_bundle({"resourceType": "Bundle", "id": first_id, "type": "collection", "entry": entries})
    if fmt == "xml":
        body = bundle.model_dump_xml(pretty_print=True)
        if isinstance(body, bytes):
            body = body.decode("utf-8")
    else:
        body = json.dumps(bundle.model_dump(mode="json", exclude_none=True, by_alias=True), ensure_ascii=False, indent=1)
    if out:
        _write_atomic(out, body + "\n")
    else:
        click.echo(body)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--profile", help="Validate against this profile (StructureDefinition url) too.")
def validate(files: tuple[str, ...], profile: str | None) -> None:
    """Validate FHIR JSON resources or Bundles against base R5 and the project's profiles.

    Prints the issues per file and exits 1 when any error is found."""
    from .validation import Validator
    from .validation.profiles import Profiles

    v = Validator(profiles=Profiles())
    failed = False
    for path in files:
        data = _read_text(path)
        resource, issues = v.parse(data)
        if resource is not None:
            targets = [(e.get("resource"), f"Bundle.entry[{i}].resource")
                       for i, e in enumerate(resource.get("entry", []))] if resource.get("resourceType") == "Bundle" \
                and resource.get("type") in ("collection", "transaction", "batch", "searchset") else [(resource, None)]
            for res, where in targets:
                if not isinstance(res, dict):
                    issues.append(("error", "structure", "entry without a resource", where or ""))
                    continue
                for sev, code, msg, expr in v.validate(res, profile).issues:
                    if where and expr.startswith(res.get("resourceType", "")):
                        expr = where + expr[len(res.get("resourceType", "")):]
                    issues.append((sev, code, msg, expr))
        errors = [i for i in issues if i[0] in ("error", "fatal")]
        failed = failed or bool(errors)
        click.echo(f"{path}: {len(errors)} errors, {len(issues) - len(errors)} warnings")
        for sev, code, msg, expr in issues:
            click.echo(f"  {sev:8} {code:14} {expr}: {msg}")
    raise SystemExit(1 if failed else 0)


@main.command()
@click.option("--db", default="fhir-adapter.sqlite", show_default=True, help="SQLite database file (':memory:' for none).")
@click.option("--load", "loads", multiple=True, help="Monograph (.txt), FHIR JSON file or folder to convert and store.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--base-url", default=None, help="Public base URL (e.g. behind a proxy) for links and Location.")
def serve(db: str, loads: tuple[str, ...], host: str, port: int, base_url: str | None) -> None:
    """Serve FHIR R5 under /fhir (development server; see README for gunicorn)."""
    from .server import create_app

    try:
        app = create_app({"DB": db, "LOAD": list(loads), "BASE_URL": base_url})
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    store = app.config["STORE"]
    click.echo(f"fhir-adapter: {store.count()} resources in {db}; FHIR R5 at http://{host}:{port}/fhir", err=True)
    app.run(host=host, port=port, threaded=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default="fhir-adapter.sqlite", show_default=True)
def load(paths: tuple[str, ...], db: str) -> None:
    """Convert and store monographs (or FHIR JSON) in the database; loading twice changes nothing."""
    from .server.load import load as load_into
    from .store import Store

    store = Store(db)
    try:
        stats = load_into(store, list(paths))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{stats['files']} files, {stats['resources']} resources, {stats['written']} new versions", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
