"""The `apicompat` group and its entry point: the one place that turns outcomes into exit statuses.

Commands live one module per group (contracts.py, reports.py, traffic.py): arguments in, a plain API call,
a formatter out. Exit status: 0 when no change reaches --fail-on, 1 when one does, 2 for a usage error or
bad input.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

from ..errors import InputError
from . import contracts, reports, traffic
from .options import EXIT_OK, EXIT_USAGE, one_line


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="apicompat", prog_name="apicompat")
@click.option("--no-cache", is_flag=True, help="Do not read or write the parse cache (or APICOMPAT_NO_CACHE=1).")
def cli(no_cache: bool = False) -> None:
    """apicompat: is the new API contract backwards compatible with the old one?"""
    from ..load import cache

    cache.disable(no_cache)


for _command in (*contracts.COMMANDS, *reports.COMMANDS, *traffic.COMMANDS):
    cli.add_command(_command)


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
