"""Performance harness: data generator, in-process query benchmark and HTTP load benchmark.

Performance is measured here, never by timed assertions in tests (DESIGN §8). See bench/README.md.
"""
