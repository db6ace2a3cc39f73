"""Answering a question: the pipeline from analysis to the composed answer (pipeline.py)."""
