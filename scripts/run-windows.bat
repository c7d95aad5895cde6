@echo off
rem Công dân số Workbench on Windows, without make: set up once, then start the app.
cd /d "%~dp0\.."
if not exist .venv\Scripts\python.exe (
  py -3.11 -m venv .venv || python -m venv .venv
)
.venv\Scripts\python -m pip install --quiet -r requirements.txt
rem The port phones use; serve.py puts Caddy (from requirements.txt) on it, in front of Streamlit.
set PORT=8501
.venv\Scripts\python -m workbench init --port %PORT%
.venv\Scripts\python scripts\serve.py --address 0.0.0.0 --port %PORT%
pause
