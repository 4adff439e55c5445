"""Command line: fhir-adapter convert | validate | serve | load."""
from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path

import click

from .mapping import bundle_json, validated_bundle
from .monograph import read_monograph
from .monograph.inputs import DecodedText, UnreadableInput, decode, decode_text


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _read_text(path: str) -> DecodedText:
    """A monograph file (or standard input) as text, whatever it came as: text, HTML or PDF."""
    data = _read_bytes(path)
    try:
        return decode(data, None if path == "-" else path)
    except UnreadableInput as exc:
        raise click.ClickException(f"{path}: {exc}") from exc


def _read_fhir(path: str) -> str:
    """A FHIR JSON or XML file as text (UTF-8, UTF-16 or Windows-1251)."""
    try:
        return decode_text(_read_bytes(path))[0]
    except UnreadableInput as exc:
        raise click.ClickException(f"{path}: {exc}") from exc


def _output_plan(path: str) -> tuple[Path, bool, int | None]:
    """Where -o OUT goes, checked before any work: (path to write, written through?, mode to keep).

    A regular file (or a new one) is replaced atomically, through any symlink to it; a character
    device or a pipe (/dev/stdout, /dev/null, a FIFO) is written through; nothing else is touched."""
    if path.endswith(("/", os.sep)):
        raise click.ClickException(f"{path}: names a folder, not a file to write the Bundle to")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror or exc}") from exc
    if st is None or stat.S_ISREG(st.st_mode):
        target = Path(os.path.realpath(path))
        if not target.parent.is_dir():
            raise click.ClickException(f"{path}: cannot write: folder {target.parent} does not exist")
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise click.ClickException(f"{path}: cannot write: folder {target.parent} is not writable")
        return target, False, stat.S_IMODE(st.st_mode) if st else None
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return Path(path), True, None
    kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode) \
        else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
    raise click.ClickException(f"{path}: {kind}: refusing to write the Bundle there")


def _write_output(path: str, plan: tuple[Path, bool, int | None], text: str) -> None:
    target, through, mode = plan
    try:
        if through:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            _write_atomic(target, text, mode)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _write_atomic(target: Path, text: str, mode: int | None = None) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file.

    The file keeps the permissions it had, or gets those a new file would (the umask's)."""
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
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
    """Convert monograph FILE(s) into one FHIR R5 collection Bundle.

    A FILE may be text (UTF-8, UTF-16, Windows-1251), an HTML page or a PDF, told by its content."""
    plan = _output_plan(out) if out else None
    entries: list[dict] = []
    first_id = None
    for path in files:
        decoded = _read_text(path)
        text = decoded.text
        if not text.strip():
            raise click.ClickException(f"{path}: empty monograph")
        for w in decoded.warnings:
            click.echo(f"warning: {path}: {w}", err=True)
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
    if out and plan:
        _write_output(out, plan, body + "\n")
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
        data = _read_fhir(path)
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
