"""Serving: the chat UI, the evidence view, the HTTP guard, the corpus watcher."""
