"""docs/queries.md is generated from queries/*.rq and must not drift from it."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location(
        "query_docs", ROOT / "scripts" / "generate_query_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_query_docs_are_generated_from_the_library():
    expected = _generator().render(ROOT / "queries")
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == expected, (
        "docs/queries.md is stale: run `make docs`"
    )


def test_every_query_is_listed_with_its_title():
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert "## Leicester themes with no ICS equivalent\n" in page
    assert page.count("`hwbkg query --name ") == len(list((ROOT / "queries").glob("*.rq")))
