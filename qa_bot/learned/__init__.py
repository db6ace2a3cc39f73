"""Fitting the answer-selection model: data, the fitting script, and its output.

``selection.json`` (read by ``qa_bot.answer.selection``) is written by ``python -m
qa_bot.learned.fit``; nothing it contains is typed in by hand.
"""
