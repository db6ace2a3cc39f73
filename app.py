"""Start the qa_bot chat UI: python app.py (settings from QA_BOT_* variables)."""

import logging

from qa_bot.serve.server import serve

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    serve()
