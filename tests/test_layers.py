"""The layers import one way only: vocabulary <- loaders <- graph <- web <- command line
(pyproject.toml [tool.importlinter]), so a web process never drags in the CLI and the graph
never the web app."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_points_down_the_layers():
    linter = Path(sys.prefix) / "bin" / "lint-imports"
    done = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout
