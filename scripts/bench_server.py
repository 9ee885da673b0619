"""Load a build into a SPARQL server and time the query library there and on the embedded
store, side by side, checking that both give the same rows.

    HWBKG_SERVER_USER=dba HWBKG_SERVER_PASSWORD=... .venv/bin/python scripts/bench_server.py \
        --build-dir /work/scale/b10 --settings server.toml [--runs 5] [--no-load]

The settings file names the server (STORE, SERVER_* of graph/settings.py). Figures are
milliseconds through each store's Python API (no HTTP in front of the workbench), the
median of ``--runs`` warm runs after one cold run. docs/deploy.md quotes them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_query_library import comparable  # noqa: E402

from cli.commands import text_table  # noqa: E402
from graph import builds, queries, remote, server, server_builds, settings, sparql, store  # noqa: E402


def timed(graph, text: str, runs: int) -> tuple[float, float, Counter | str]:
    """Cold and median warm milliseconds of ``text`` on ``graph``, and its rows (or the
    first line of its error)."""
    found: Counter | str = ""
    took = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        try:
            columns, rows = sparql.rows(sparql.run(graph, text))
            found = Counter(comparable(text, columns, row) for row in rows)
        except (sparql.QueryError, *server.TROUBLE) as error:
            return 0.0, 0.0, str(error).splitlines()[0][:60]
        took.append((time.perf_counter() - began) * 1000)
    return took[0], statistics.median(took[1:]), found


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--build-dir", type=Path, required=True)
    options.add_argument("--settings", type=Path, required=True)
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--no-load", action="store_true", help="the server has the build")
    args = options.parse_args()
    config = settings.load(settings.read_toml(args.settings))
    build = builds.current(args.build_dir)
    target = server.Server(config)
    if not args.no_load:
        took = server_builds.load(build.path, build.id, target)
        print(f"load {build.id} into {config['SERVER_QUERY_URL']}: "
              + ("already served" if took is None else f"{took:.1f} s"))  # fmt: skip
    served = server_builds.served(target)
    on_server = remote.RemoteStore(target, served.id, served.graphs)
    embedded = store.open_store(build.path, in_memory=True)
    print(f"quads: embedded {len(embedded):,}, server {len(on_server):,}")
    cells = []
    for name, query in sorted(queries.library(config["QUERIES_DIR"]).items()):
        ox_cold, ox_warm, ox_rows = timed(embedded, query.text, args.runs)
        sv_cold, sv_warm, sv_rows = timed(on_server, query.text, args.runs)
        same = "yes" if sv_rows == ox_rows else sv_rows if isinstance(sv_rows, str) else "NO"
        cells.append([name, f"{ox_cold:.0f} / {ox_warm:.0f}", f"{sv_cold:.0f} / {sv_warm:.0f}",
                      same])  # fmt: skip
    columns = ["query", "oxigraph ms cold / warm", "server ms cold / warm", "same rows"]
    print(text_table(columns, cells, noun="queries"))
    target.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
