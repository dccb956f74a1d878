"""A synthetic site whose search data has many batches and common terms cut into chunks, small
enough for the tests: search.py's sizes are lowered while it is indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build as pipeline
from generator import search as search_stage


def write_chunked_search(folder: Path, plans: int, measures_per_plan: int, seed: int):
    """(content folder, output folder with the search data and the site's scripts, site): plans
    indexed 8 a batch, every term longer than 3,000 characters cut into chunks."""
    from benchmarks.synthetic import make_corpus

    corpus = make_corpus(folder / "content", plans=plans, measures_per_plan=measures_per_plan, seed=seed)
    output = folder / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_stage, "PLANS_PER_BATCH", 8)
        patch.setattr(search_stage, "CHUNK_AT", 3_000)
        patch.setattr(search_stage, "CHUNK_TARGET", 1_500)
        build = pipeline.Pipeline(corpus, workers=1)
        site = build.load()
        for path, data in {**build.search_files(site), **pipeline.static_assets()}.items():
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            (output / path).write_bytes(data)
    return corpus, output, site
