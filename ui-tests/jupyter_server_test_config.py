"""JupyterLab server for the Pairs Lab browser tests (galata's settings, plus what this project needs)."""
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is Jupyter's config object)

# A port of its own (run.mjs picks a free one), so the tests run beside `npm start` and beside other test runs.
c.ServerApp.port = int(os.environ.get("PAIRS_LAB_UI_PORT", "8898"))  # noqa: F821
# Everything here runs as root.
c.ServerApp.allow_root = True  # noqa: F821
# No extension manager reaching for PyPI while the tests run.
c.LabApp.extension_manager = "readonly"  # noqa: F821
