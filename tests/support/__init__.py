"""What tests and benchmarks share: the browser and static server (browser), the example
site of docs/examples (examples), documents laid out like the shipped plans' sources
(importing), `build.py serve` run as a user runs it (serving) and a small disk of a test's
own (tmpfs). Nothing here is a test.

Tests import these as `support.<module>` (pytest puts tests/ on the path); benchmarks put
tests/ on sys.path first and import them the same way."""
