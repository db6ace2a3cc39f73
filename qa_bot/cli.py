"""Command line: qa-bot build | ask | serve | eval. The CLI prints; the library logs."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa_bot.config import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qa-bot", description=__doc__)
    parser.add_argument("--corpus", type=Path, help="corpus folder (QA_BOT_CORPUS)")
    parser.add_argument("--index", type=Path, help="index folder (QA_BOT_INDEX)")
    parser.add_argument("--model", help="sentence-transformers model path (QA_BOT_MODEL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="index the corpus; re-embeds only what changed")
    b.add_argument("--force", action="store_true", help="rebuild everything")
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question")
    a.add_argument("--json", action="store_true", help="print Answer.to_dict() as JSON")
    a.add_argument("--top-k", type=int, help="at most this many quotes")
    a.add_argument("--history", action="append", default=[], help="an earlier question")
    s = sub.add_parser("serve", help="start the chat UI")
    s.add_argument("--host", help="address to listen on (QA_BOT_HOST, default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (QA_BOT_PORT, default 7860)")
    e = sub.add_parser(
        "eval",
        help="score the bot on question sets (dev.json format, {corpus, questions}, or SQuAD 2.0)",
    )
    e.add_argument("questions", type=Path, nargs="+")
    e.add_argument("--json", action="store_true", help="print the reports as JSON")
    e.add_argument("--misses", action="store_true", help="list every miss")
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
        )
        return _COMMANDS[args.command](settings, args)
    except SettingsError as err:
        print(f"qa-bot: bad setting: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        from qa_bot.embedding import ModelError
        from qa_bot.evaluate import QuestionSetError
        from qa_bot.index import CorpusError
        from qa_bot.selection import SelectionModelError

        if isinstance(err, CorpusError | ModelError | QuestionSetError | SelectionModelError):
            print(f"qa-bot: {err}", file=sys.stderr)
            return 1
        raise


def _build(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.embedding import model_id
    from qa_bot.manifest import read_manifest, stale_reason, up_to_date_summary

    # Nothing changed and the files are intact: answer without loading FAISS or the model.
    unchanged = (
        not args.force
        and settings.corpus.is_dir()
        and stale_reason(settings.index, settings, model_id(settings.model), verify=True) is None
    )
    if unchanged:
        print(up_to_date_summary((read_manifest(settings.index) or {}).get("counts", {})))
        return 0

    from qa_bot.embedding import SentenceTransformerEmbedder
    from qa_bot.index import build_index

    if not args.verbose:  # the CLI prints progress, problems and the summary itself
        logging.getLogger("qa_bot.index").setLevel(logging.ERROR)

    report = build_index(
        settings, SentenceTransformerEmbedder(settings.model), progress=print, force=args.force
    )
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(report.summary())
    return 0


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.bot import QABot
    from qa_bot.format import answer_to_text

    result = QABot(settings).ask(args.question, history=args.history, top_k=args.top_k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer_to_text(result))
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from qa_bot.ui import serve

    serve(settings)
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    """Each set is answered over its own corpus: the configured one, the folder a
    {corpus, questions} file names, or a SQuAD file's articles (indexed under the index
    folder's ``eval/``)."""
    from qa_bot.bot import QABot
    from qa_bot.evaluate import evaluate, load_set, table

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
        print(json.dumps([r.__dict__ for r in reports], indent=2, ensure_ascii=False))
        return 0
    for report in reports:
        if args.misses or report.n <= 100:
            for miss in report.misses:
                print(
                    f"miss {report.name}/{miss['id']}: {miss['question']}\n     got: {miss['got']}"
                )
    if len(reports) == 1:
        print("\n".join(reports[0].lines()))
    else:
        print(table(reports))
    return 0


_COMMANDS = {"build": _build, "ask": _ask, "serve": _serve, "eval": _eval}
