"""The checks: each says what a candidate sentence lacks that the question demands ("no
date is given"), by reading the question's forms and the sentence's facts. The ordered
registry is ``registry.py``; each check's evidence and examples are in ``checks.toml``."""
