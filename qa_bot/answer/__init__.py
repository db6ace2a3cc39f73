"""Answering a question: analysis, retrieval, features, reranking, selection, quotes."""
