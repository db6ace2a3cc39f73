"""A running bot follows its corpus: a background thread looks for changes and swaps in
the rebuilt index.

The thread waits on the operating system's change notifications for the corpus folder
(inotify, through ``watchfiles``): at rest it costs nothing, and an edit is looked at about
50 ms after it stops. Every ``interval`` seconds it also wakes for what no file event says:
another process's build in the index folder (``qa-bot build``, another replica), a failed
build due for another try. A full look every ``SAFETY_LOOK_S`` catches an event the file
system never sent. Where notifications cannot be had (no inotify, too many folders for its
limit, ``QA_BOT_WATCH_POLLING=1`` for network file systems, whose events may never come),
it polls: one listing of names, sizes and times every ``interval`` seconds, which is about a
millisecond for the shipped corpus and grows with the number of files.
"""

from __future__ import annotations

import logging
import threading
import time

from qa_bot.bot import QABot

log = logging.getLogger(__name__)

SAFETY_LOOK_S = 60.0  # a full look this often even when no event came
QUIET_MS = 50  # an edit is looked at once the folder has been quiet this long ...
LONGEST_WAIT_MS = 1000  # ... or this long after the first change, if changes keep coming


class Watcher:
    """Calls ``bot.follow()`` when the corpus changes, or every ``interval`` seconds when
    change notifications cannot be had (``polling``), on a daemon thread."""

    def __init__(self, bot: QABot, interval: float, polling: bool = False) -> None:
        self.bot = bot
        self.interval = interval
        self.polling = polling
        self.notified = False  # whether change notifications are what it waits on
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
        self._look()
        if not self.polling and self._wait_for_notifications():
            return
        while not self._stop.wait(self.interval):
            self._look()

    def _wait_for_notifications(self) -> bool:
        """Look whenever the corpus changes, until stopped (True); False at once when the
        corpus cannot be watched this way, so that the caller polls."""
        try:
            from watchfiles import watch
        except ImportError:
            log.info("watchfiles is not installed; polling the corpus")
            return False
        corpus = self.bot.settings.corpus
        if not corpus.is_dir():
            return False
        last_full = time.monotonic()
        try:
            for changes in watch(
                corpus, watch_filter=None, debounce=LONGEST_WAIT_MS, step=QUIET_MS,
                stop_event=self._stop, rust_timeout=max(1, int(self.interval * 1000)),
                yield_on_timeout=True, raise_interrupt=False, ignore_permission_denied=True,
            ):  # fmt: skip
                self.notified = True
                now = time.monotonic()
                if changes or now - last_full >= SAFETY_LOOK_S or self._due():
                    last_full = now
                    self._look()
        except (OSError, RuntimeError) as err:  # no inotify here, or its limit reached
            self.notified = False
            log.warning("change notifications unavailable (%s); polling the corpus", err)
            return self._stop.is_set()
        return True

    def _due(self) -> bool:
        try:
            return self.bot.due()
        except Exception:
            log.exception("checking the index folder failed; looking at the corpus")
            return True

    def _look(self) -> None:
        try:
            self.bot.follow()
        except Exception:
            log.exception("following the corpus failed; still answering")
