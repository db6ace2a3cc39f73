"""Building, storing and loading the index: vectors, BM25, the manifest, encoders."""
