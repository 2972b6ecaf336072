"""Click commands only: arguments in, an API call, a formatter out, an exit status.

Exit status: 0 when no change reaches --fail-on, 1 when one does, 2 for a usage error or bad input.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

from .errors import InputError
from .model import Severity
from .report.options import report_options, strict_option

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def parse_fail_on(value: str) -> Severity | None:
    return None if value == "none" else Severity.parse(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="apicompat", prog_name="apicompat")
@click.option("--no-cache", is_flag=True, help="Do not read or write the parse cache (or APICOMPAT_NO_CACHE=1).")
def cli(no_cache: bool = False) -> None:
    """apicompat: is the new API contract backwards compatible with the old one?"""
    from .load import cache

    cache.disable(no_cache)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--direction", type=click.Choice(["request", "response"]), default=None,
              help="For bare JSON Schemas: judge as a request or a response schema (default response).")
@report_options()
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
@click.option("--max-size", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Largest input file, in MB.")
@strict_option()
def diff(old: str, new: str, direction: str | None, fmt: str, output: str | None, fail_on: str,
         policy: str | None, allow_remote_refs: bool, max_size: int, strict: bool) -> int:
    """Compare two OpenAPI documents or JSON Schemas (files, '-' or git:REV:PATH)."""
    from .api import DiffOptions, diff_files
    from .deep import run_deep
    from .load.limits import MB, Limits
    from .output import emit, load_policy

    pol = load_policy(policy)
    options = DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs,
                          opaque=tuple(pol.opaque if pol else ()), limits=Limits(max_bytes=max_size * MB),
                          strict=strict)
    report = run_deep(lambda: diff_files(old, new, options))
    return emit(report, fmt, output, parse_fail_on(fail_on), pol)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> int:
    """Print the rule catalogue."""
    from .catalogue import render_catalogue

    click.echo(render_catalogue(fmt), nl=False)
    return EXIT_OK


def _register_extensions() -> None:
    from .commands import all_commands

    for command in all_commands():
        cli.add_command(command)


_register_extensions()


def one_line(text: str, limit: int = 2000) -> str:
    """Errors are one line: parser messages can carry newlines and snippets; huge ones are cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup (temp files, the lock) runs."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    sys.exit(code)


def _main(argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="apicompat", standalone_mode=False)
    except InputError as exc:
        click.echo(f"apicompat: error: {one_line(str(exc))}", err=True)
        code = EXIT_USAGE
    except click.exceptions.Abort as exc:  # click turns KeyboardInterrupt into Abort
        if isinstance(exc.__cause__, Terminated) or isinstance(exc.__context__, Terminated):
            click.echo("apicompat: terminated (SIGTERM)", err=True)
            code = 143
        else:
            click.echo("apicompat: interrupted", err=True)
            code = 130
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except Terminated:
        click.echo("apicompat: terminated (SIGTERM)", err=True)
        code = 143
    except KeyboardInterrupt:
        click.echo("apicompat: interrupted", err=True)
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    except RecursionError:
        click.echo("apicompat: error: input nested too deeply to compare", err=True)
        code = EXIT_USAGE
    except MemoryError:
        click.echo("apicompat: error: out of memory on this input", err=True)
        code = EXIT_USAGE
    except Exception as exc:  # no traceback for users; APICOMPAT_DEBUG=1 shows it
        if os.environ.get("APICOMPAT_DEBUG"):
            raise
        click.echo(f"apicompat: internal error: {type(exc).__name__}: {one_line(str(exc))}", err=True)
        code = EXIT_USAGE
    return code if isinstance(code, int) else EXIT_OK
