#!/usr/bin/env python3
"""This repository's command line: `zwgk` (generator/cli.py) on the repository itself, so that
`python build.py` builds the shipped content/ into output/ wherever it is run from."""

from __future__ import annotations

import sys
from pathlib import Path

from generator import cli

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, prog="build.py", site=ROOT)


if __name__ == "__main__":
    sys.exit(main())
