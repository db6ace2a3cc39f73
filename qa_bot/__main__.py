"""python -m qa_bot: the same as the qa-bot command."""

from qa_bot.cli import main

raise SystemExit(main())
