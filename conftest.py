"""Root conftest: every test run gets its own data folder, so no test can touch real data.

Set before any test module imports the store; the notebooks run by nbmake inherit it too.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="cds-test-")
    os.environ["CDS_DATA_DIR"] = folder
    os.environ.pop("CDS_PUBLIC_URL", None)
    # notebooks run in a kernel whose working folder is notebooks/: let it import workbench
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def pytest_collection_finish(session):
    """Notebooks read the demo data: make it once, in the run's data folder."""
    if any(str(item.fspath).endswith(".ipynb") for item in session.items):
        from workbench import cli

        cli.main(["init"])
