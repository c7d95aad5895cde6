"""Công dân số Workbench: the domain. No Streamlit here; pages/ and the CLI call into it."""

__version__ = "0.1.0"
