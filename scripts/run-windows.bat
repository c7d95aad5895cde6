@echo off
rem Công dân số Workbench on Windows, without make: set up once, then start the app.
cd /d "%~dp0\.."
if not exist .venv\Scripts\python.exe (
  py -3.11 -m venv .venv || python -m venv .venv
)
.venv\Scripts\python -m pip install --quiet -r requirements.txt
.venv\Scripts\python -m workbench init
.venv\Scripts\python scripts\serve.py --address 0.0.0.0 --port 8501
pause
