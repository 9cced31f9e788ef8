"""JupyterLab server for the Pairs Lab browser tests (galata's settings, plus what this project needs)."""
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is Jupyter's config object)

# Not 8888, so the tests run while `npm start` serves the project.
c.ServerApp.port = 8898  # noqa: F821
# Everything here runs as root.
c.ServerApp.allow_root = True  # noqa: F821
# No extension manager reaching for PyPI while the tests run.
c.LabApp.extension_manager = "readonly"  # noqa: F821
