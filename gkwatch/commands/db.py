"""Archive commands: ``db info``, ``db upgrade``, ``db recount``, ``registry import/check``,
``ingest``, ``reparse``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gkwatch.access import config_of, open_archive


@click.group()
def db() -> None:
    """The archive database (schema, status)."""


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def info(ctx: click.Context, as_json: bool) -> None:
    """Where the archive is, its schema revision and what it holds."""
    from storage import Archive

    config = config_of(ctx)
    with Archive.open(
        config.database_url, document_dir=config.document_dir, check_schema=False
    ) as archive:
        data = archive.info()
    data["up_to_date"] = data["revision"] == data["head"]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"database:  {data['url']}")
    click.echo(f"backend:   {data['backend']}")
    state = "up to date" if data["up_to_date"] else "BEHIND — run `gkwatch db upgrade`"
    click.echo(f"schema:    {data['revision'] or 'empty'} (head {data['head']}, {state})")
    click.echo(f"documents: {data['document_dir'] or 'in the database'}")
    if data["up_to_date"]:
        for table, count in data["counts"].items():
            click.echo(f"  {table:<12} {count:>10}")


@db.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Apply the pending migrations (creates the database when it does not exist)."""
    from storage import Archive
    from storage.engine import public_url

    url = config_of(ctx).database_url
    revision = Archive.upgrade(url)
    click.echo(f"{public_url(url)}: schema at revision {revision}")


@db.command()
@click.option("--check", is_flag=True, help="Only report drift (exit 1 if any); change nothing.")
@click.pass_context
def recount(ctx: click.Context, check: bool) -> None:
    """Recount the report tallies behind the overview and fix any that drifted.

    Database triggers keep them in step with every write; a load made with triggers off
    (PostgreSQL ``session_replication_role = replica``) is the one way they can drift."""
    with open_archive(config_of(ctx)) as archive:
        if check:
            drift = archive.tally_drift()
            click.echo(f"report tallies: {drift} group(s) differ from a recount")
            if drift:
                ctx.exit(1)
            return
        fixed = archive.repair_tallies()
    click.echo(f"report tallies: {fixed} group(s) rewritten" if fixed else "report tallies: kept")


@click.group()
def registry() -> None:
    """The agency registry (YAML)."""


@registry.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """Import FILE: adds and updates agencies in place, never deletes; all or nothing."""
    with open_archive(config_of(ctx)) as archive:
        result = archive.import_registry(file)
    click.echo(
        f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged"
    )


@registry.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """Check FILE without importing it (parents must be in the file itself)."""
    from storage.registry import load_registry

    entries = load_registry(file)
    click.echo(f"{file}: {len(entries)} agencies, no problems")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agency", "agency_id", required=True, help="Registry id of the reporting agency.")
@click.option("--year", type=int, help="Report year (default: read from each report).")
@click.option("--url", help="Where the file came from (default: its file:// URL); one PATH only.")
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], agency_id: str, year: int | None, url: str | None
) -> None:
    """Store local report files as if they had been fetched (document, fetch, report)."""
    import parser
    from storage.ingest import ingest_file

    if url is not None and len(paths) > 1:
        raise click.UsageError("--url names the source of one file; give a single PATH")

    def parse(data: bytes, source: str, content_type: str | None, name: str) -> parser.Report:
        return parser.parse(data, url=source, content_type=content_type, name=name)

    failed = 0
    with open_archive(config_of(ctx)) as archive:
        archive.agency(agency_id)  # an unknown agency stops everything before any write
        for path in paths:
            outcome = ingest_file(
                archive, path, agency_id=agency_id, parse=parse, year=year, url=url
            )
            if outcome.error is not None or outcome.result is None:
                failed += 1
                kept = " (document kept)" if outcome.document_sha else ""
                click.echo(f"{path}: not ingested: {outcome.error}{kept}", err=True)
                continue
            r = outcome.result
            what = "new version" if r.changed else "unchanged"
            click.echo(f"{path}: {agency_id} {outcome.year} version {r.version} ({what})")
    if failed:
        raise click.exceptions.Exit(1)


@click.command()
@click.option("--force", is_flag=True, help="Re-derive every version, not only outdated ones.")
@click.pass_context
def reparse(ctx: click.Context, force: bool) -> None:
    """Re-derive records and cells from the stored documents with this parser (no fetching)."""
    from rich.progress import Progress

    import parser

    def parse(data: bytes, url: str | None, content_type: str | None) -> parser.Report:
        return parser.parse(data, url=url, content_type=content_type, name=url)

    errors: list[str] = []
    with open_archive(config_of(ctx)) as archive, Progress(transient=True) as bar:
        task = bar.add_task("reparsing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def on_error(report_id: int, number: int, exc: Exception) -> None:
            errors.append(f"report {report_id} version {number}: {exc}")

        count = archive.reparse(
            parse,
            force=force,
            parser_version=parser.PARSER_VERSION,
            progress=progress,
            on_error=on_error,
        )
    click.echo(f"{count} versions re-derived with parser {parser.PARSER_VERSION}")
    for line in errors:
        click.echo(line, err=True)
    if errors:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [db, registry, ingest, reparse]
