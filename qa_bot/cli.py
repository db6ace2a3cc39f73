"""Command line: qa-bot build | ask | serve | eval. The CLI prints; the library logs."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa_bot.clean import clean_input, json_text
from qa_bot.cli_checks import add_commands, explain, list_checks
from qa_bot.config import Settings, SettingsError
from qa_bot.safe_json import JsonFileError, parse_json

EXIT_CODES = """exit codes:
  0  done: every question answered or refused, the build or the evaluation finished
  1  an internal error, or a corpus, model or question-set problem (named on stderr)
  2  bad usage: a bad option or setting, or (batch mode) a line that is not a question

Everything printed is cleaned of terminal control sequences; a closed pipe
(qa-bot ask ... | head) ends the command quietly with exit code 0."""


def _say(text: str, stream: Any = None) -> None:
    """Print for people: nothing a terminal would obey gets through (qa_bot/clean.py)."""
    out = stream or sys.stdout
    if out is not None:  # a closed stderr: nowhere to say it
        print(clean_input(text), file=out, flush=True)


def _positive(raw: str) -> int:
    """An option's whole number of at least 1 (argparse names the option on failure)."""
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _port(raw: str) -> int:
    value = _positive(raw)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535, got {value}")
    return value


class UsageError(ValueError):
    """A command line that cannot be carried out as given; exit code 2."""


def main(argv: list[str] | None = None) -> int:
    """Run one command; every output path survives a reader that stops early."""
    if sys.stdout is None:  # started with stdout closed (qa-bot ask ... >&-)
        _say("qa-bot: standard output is closed; nothing can be printed", sys.stderr)
        return 1
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a non-UTF-8 terminal still gets text
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader (head, less, a closed socket) has gone: nothing left to say to it.
        _silence_stdout()
        return 0
    except OSError as err:
        if err.filename is not None or err.errno is None:
            raise
        # stdout itself failed (a full disk, /dev/full, a closed descriptor): one line.
        _silence_stdout()
        _say(f"qa-bot: cannot write the output ({err.strerror})", sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no descriptor: no flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="qa-bot",
        description=__doc__,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, help="corpus folder (QA_BOT_CORPUS)")
    parser.add_argument("--index", type=Path, help="index folder (QA_BOT_INDEX)")
    parser.add_argument("--model", help="sentence-transformers model path (QA_BOT_MODEL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="index the corpus; re-embeds only what changed")
    b.add_argument("--force", action="store_true", help="rebuild everything")
    b.add_argument("--engine", choices=["local", "ray"],
                   help="where to read and embed (QA_BOT_BUILD_ENGINE, default local)")  # fmt: skip
    a = sub.add_parser(
        "ask",
        help="answer one question, or one per line of standard input with '-'",
        epilog=BATCH_HELP + "\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("question", help="the question, or - to read one per line from stdin")
    a.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    a.add_argument("--top-k", type=_positive, help="at most this many quotes (1 or more)")
    a.add_argument("--history", action="append", default=[], help="an earlier question")
    a.add_argument("--speaker", help="answer only from this speaker's statements (a name, "
                   "role, title or party)")  # fmt: skip
    a.add_argument("--doc", action="append", dest="documents", metavar="NAME",
                   help="answer only from this document (its file name, path or title); "
                   "repeat for several")  # fmt: skip
    s = sub.add_parser("serve", help="start the chat UI")
    s.add_argument("--host", help="address to listen on (QA_BOT_HOST, default 127.0.0.1)")
    s.add_argument("--port", type=_port, help="port (QA_BOT_PORT, default 7860)")
    e = sub.add_parser(
        "eval",
        help="score the bot on question sets (dev.json format, {corpus, questions}, or SQuAD 2.0)",
    )
    e.add_argument("questions", type=Path, nargs="+")
    e.add_argument("--json", action="store_true", help="print the reports as JSON")
    e.add_argument("--misses", action="store_true", help="list every miss")
    e.add_argument("--without-check", action="append", default=[], metavar="ID",
                   help="switch an answer check off (repeatable; qa-bot checks lists them)")  # fmt: skip
    add_commands(sub)
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = Settings.from_env(
            corpus=args.corpus,
            index=args.index,
            model=args.model,
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            top_k=getattr(args, "top_k", None),
            build_engine=getattr(args, "engine", None),
            without_checks=",".join(getattr(args, "without_check", [])) or None,
        )
        return _COMMANDS[args.command](settings, args)
    except SettingsError as err:
        _say(f"qa-bot: bad setting: {err}", sys.stderr)
        return 2
    except UsageError as err:
        _say(f"qa-bot: {err}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        from qa_bot.answer.selection import SelectionModelError
        from qa_bot.index.build import CorpusError
        from qa_bot.index.embedding import ModelError
        from qa_bot.index.ray_build import RayUnavailableError
        from qa_bot.questions import QuestionSetError

        known = (
            CorpusError,
            ModelError,
            QuestionSetError,
            RayUnavailableError,
            SelectionModelError,
        )
        if isinstance(err, known):
            _say(f"qa-bot: {err}", sys.stderr)
            return 1
        raise


def _build(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.index.embedding import model_id
    from qa_bot.index.manifest import read_manifest, stale_reason, up_to_date_summary

    # Nothing changed and the files are intact: answer without loading FAISS or the model.
    unchanged = (
        not args.force
        and settings.corpus.is_dir()
        and stale_reason(
            settings.index, settings, model_id(settings.model), verify=True, exportable=True
        )
        is None
    )
    if unchanged:
        _say(up_to_date_summary((read_manifest(settings.index) or {}).get("counts", {})))
        return 0

    from qa_bot.index.build import build_index
    from qa_bot.index.embedding import SentenceTransformerEmbedder

    if not args.verbose:  # the CLI prints progress, problems and the summary itself
        logging.getLogger("qa_bot.index.build").setLevel(logging.ERROR)

    engine = None
    if settings.build_engine == "ray":
        from qa_bot.index.ray_build import RayEngine, require_ray

        require_ray()  # not installed: say so before anything else happens
        engine = RayEngine(settings)
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        report = build_index(
            settings, SentenceTransformerEmbedder(settings.model), progress=_say,
            force=args.force, on_document=bar, engine=engine,
        )  # fmt: skip
    except OSError as err:
        from qa_bot.index.freshness import plain_cause

        _say(f"qa-bot: the build failed ({plain_cause(err)}); the index in {settings.index} "
             "is unchanged", sys.stderr)  # fmt: skip
        return 1
    finally:
        if bar is not None:
            bar.close()
        if engine is not None:
            engine.close()
    for problem in report.problems:
        _say(f"warning: {problem}", sys.stderr)
    _say(report.summary())
    return 0


class _ProgressBar:
    """``[#####.....] 12/35 documents`` on one terminal line, redrawn as documents are read."""

    WIDTH = 30

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} documents read")
        self.drawn = done < total
        if not self.drawn:
            self.stream.write("\n")  # what the build prints next starts on its own line
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.answer.scope import UnknownSpeakerError
    from qa_bot.bot import QABot
    from qa_bot.index.sources import UnknownDocumentError

    try:
        if args.question == "-":
            if args.history:
                raise UsageError("--history applies to one question; in batch mode give each "
                                 'line as JSON: {"question": "...", "history": ["..."]}')  # fmt: skip
            return _ask_batch(QABot(settings), args)
        result = QABot(settings).ask(args.question, args.history, args.top_k,
                                     speaker=args.speaker, documents=args.documents)  # fmt: skip
    except (UnknownSpeakerError, UnknownDocumentError) as err:
        raise UsageError(str(err)) from None
    _print_answer(result, args.json, indent=2)
    return 0


BATCH_HELP = """batch mode (qa-bot ask -): one question per line of standard input, answered in
one process, one result per line in the same order. A line may also be a JSON object
{"question": "...", "history": ["an earlier question", ...]} for a follow-up. With --json
each result is one line of JSON (Answer.to_dict()); a line that is neither gives
{"line": N, "error": "..."} in its place, and the exit code is then 2."""


def _ask_batch(bot: Any, args: argparse.Namespace) -> int:
    """Answer every line of standard input; the output has one result per input line."""
    bad = 0
    for number, line in enumerate(_stdin_lines(), 1):
        try:
            question, history = _batch_question(line)
        except UsageError as err:
            bad += 1
            if args.json:
                print(json_text(json.dumps({"line": number, "error": str(err)})), flush=True)
            else:
                # A placeholder keeps the outputs lined up with the input lines.
                _say(f"(line {number}: not a question)\n")
                _say(f"qa-bot: line {number}: {err}", sys.stderr)
            continue
        answer = bot.ask(question, history, args.top_k, speaker=args.speaker,
                         documents=args.documents)  # fmt: skip
        _print_answer(answer, args.json, indent=None)
        if not args.json:
            print(flush=True)  # a blank line between answers
    return 2 if bad else 0


def _stdin_lines() -> Iterator[str]:
    """Standard input's lines as text; bytes that are not UTF-8 become U+FFFD."""
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


MAX_LINE_CHARS = 1_000_000  # a batch line longer than this is a bad line, not a question


def _batch_question(line: str) -> tuple[str, list[str]]:
    """A batch line's question and history: plain text, or a JSON object."""
    if not line.strip():
        raise UsageError("an empty line; expected a question or a JSON object")
    if len(line) > MAX_LINE_CHARS:
        raise UsageError(f"{len(line):,} characters, over the {MAX_LINE_CHARS:,} a line may have")
    if not line.lstrip().startswith("{"):
        return line, []
    try:
        item = parse_json(line, "the line")
    except JsonFileError as err:
        raise UsageError(err.problem) from None
    if not isinstance(item, dict):
        raise UsageError('a JSON line must be an object with "question"')
    question, history = item.get("question"), item.get("history", [])
    if not isinstance(question, str):
        raise UsageError('a JSON line needs "question" as a string')
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise UsageError('"history" must be a list of strings')
    return question, history


def _print_answer(result: Any, as_json: bool, indent: int | None) -> None:
    """One Answer on stdout, cleaned of anything a terminal would obey."""
    from qa_bot.format import answer_to_text

    if as_json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)
        print(json_text(text), flush=True)
    else:
        _say(answer_to_text(result))


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.serve.server import serve

    serve(settings, ready=lambda url: print(f"qa-bot: answering at {url}", flush=True))
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    """Each set is answered over its own corpus: the configured one, the folder a
    {corpus, questions} file names, or a SQuAD file's articles (indexed under the index
    folder's ``eval/``)."""
    from qa_bot.bot import QABot
    from qa_bot.evaluate import evaluate, table
    from qa_bot.questions import load_set

    work = settings.index / "eval"
    sets = [load_set(path, work) for path in args.questions]
    shared = QABot(settings)
    reports = []
    for qs in sets:
        bot = shared
        if qs.corpus is not None:
            bot = QABot(
                settings.with_(corpus=qs.corpus, index=work / qs.name / "index"),
                shared.embedder, shared.reranker,
            )  # fmt: skip
        reports.append(evaluate(bot, qs.items, qs.name))
    if args.json:
        _say(json_text(json.dumps([r.__dict__ for r in reports], indent=2, ensure_ascii=False)))
        return 0
    for report in reports:
        if args.misses or report.n <= 100:
            for miss in report.misses:
                _say(
                    f"miss {report.name}/{miss['id']}: {miss['question']}\n     got: {miss['got']}"
                )
    if len(reports) == 1:
        _say("\n".join(reports[0].lines()))
    else:
        _say(table(reports))
    return 0


_COMMANDS = {
    "build": _build,
    "ask": _ask,
    "serve": _serve,
    "eval": _eval,
    "checks": lambda settings, args: list_checks(settings, args, _say),
    "explain": lambda settings, args: explain(settings, args, _say),
}
