"""A running bot follows its corpus: a background thread looks for changes and swaps in
the rebuilt index.

Polling, not file-system events: one listing of names, sizes and modification times per
second costs about a millisecond for the shipped corpus and a few for hundreds of files,
works the same on network and container file systems (where inotify events may never
come), and also sees a build another process (``qa-bot build``, another replica) made in
the shared index folder, which is a change of one small file.
"""

from __future__ import annotations

import logging
import threading

from qa_bot.bot import QABot

log = logging.getLogger(__name__)


class Watcher:
    """Calls ``bot.follow()`` every ``interval`` seconds on a daemon thread."""

    def __init__(self, bot: QABot, interval: float) -> None:
        self.bot = bot
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qa-bot-watcher", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        # The embedding model (PyTorch) is loaded by the first build that needs it, not
        # before: a server whose corpus never changes never imports PyTorch.
        while True:
            try:
                self.bot.follow()
            except Exception:
                log.exception("following the corpus failed; still answering")
            if self._stop.wait(self.interval):
                return
