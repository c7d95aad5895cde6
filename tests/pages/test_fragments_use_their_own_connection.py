"""A timed fragment's rerun may run on another thread than the page script that drew it, and a
SQLite connection belongs to the thread that opened it. So a fragment never uses the page's
module-level ``db``: it asks ``sandbox_db()`` / ``databases.sandbox()`` for this thread's own.
(Under load the threads overlap and the page's connection raises ``ProgrammingError``: a hall
of 40 phones in bench/workshop_load.py showed it on the lesson player.)"""

import ast
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "pages"


def is_fragment(function: ast.FunctionDef) -> bool:
    return any("fragment" in ast.unparse(decorator) for decorator in function.decorator_list)


def borrowed_connections(source: str) -> list[str]:
    """Fragments in ``source`` that read a ``db`` they did not open themselves."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and is_fragment(node):
            names = [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == "db"]
            own = {a.arg for a in node.args.args} | {n.id for n in names if isinstance(n.ctx, ast.Store)}
            if any(isinstance(n.ctx, ast.Load) for n in names) and "db" not in own:
                found.append(node.name)
    return found


def test_no_fragment_reads_the_page_threads_connection():
    files = sorted(PAGES.rglob("*.py"))
    assert len(files) > 30  # the pages and their shared pieces, in every folder
    offenders = {path.relative_to(PAGES).as_posix(): names for path in files
                 if (names := borrowed_connections(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_check_catches_a_fragment_that_borrows_the_page_connection():
    page = '''
db = sandbox_db()

@st.fragment(run_every=8)
def watch(persona_id):
    return lessons.evaluate(db, persona_id)

@st.fragment(run_every=8)
def fine(persona_id):
    db = sandbox_db()
    return lessons.evaluate(db, persona_id)
'''
    assert borrowed_connections(page) == ["watch"]
