"""The `apicompat` group and its entry point: the one place that turns outcomes into exit statuses.

Commands live one module per group (contracts.py, reports.py, traffic.py): arguments in, a plain API call,
a formatter out. Exit status: 0 when no change reaches --fail-on, 1 when one does, 2 for a usage error or
bad input, 3 for an internal error (one line; the traceback only with APICOMPAT_DEBUG=1).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading

import click

from ..errors import InputError
from . import contracts, reports, traffic
from .options import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, one_line


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="apicompat", prog_name="apicompat")
@click.option("--no-cache", is_flag=True, help="Do not read or write the parse cache (or APICOMPAT_NO_CACHE=1).")
def cli(no_cache: bool = False) -> None:
    """apicompat: is the new API contract backwards compatible with the old one?"""
    from ..load import cache  # start-up time: --help and --version do not load the loader

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
    if argv is None:  # the console script, and the process ends here: the cyclic collector need not walk
        gc.freeze()  # everything it holds once more at exit (15 ms after a big diff); memory goes with it
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
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as exc:  # bare `apicompat`: the help itself
        exc.show()
        code = EXIT_USAGE
    except click.ClickException as exc:  # one line like every other error, saying where the help is
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        click.echo(f"apicompat: error: {one_line(exc.format_message())}{hint}", err=True)
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
    except MemoryError:  # every input is bounded (docs/reliability.md): running out is our fault
        code = _internal("out of memory")
    except Exception as exc:  # a bug: one line for users, the traceback with APICOMPAT_DEBUG=1
        code = _internal(f"{type(exc).__name__}: {one_line(str(exc))}")
    return code if isinstance(code, int) else EXIT_OK


def _internal(what: str) -> int:
    """Exit status 3: the exception is a bug in apicompat, not something wrong with the input."""
    if os.environ.get("APICOMPAT_DEBUG", "").strip() not in ("", "0"):
        import traceback  # start-up time: only an internal error prints a traceback

        traceback.print_exc()
    click.echo(f"apicompat: internal error: {what} (a bug in apicompat; APICOMPAT_DEBUG=1 shows the "
               "traceback)", err=True)
    return EXIT_INTERNAL
