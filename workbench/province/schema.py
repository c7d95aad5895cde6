"""The province database's own tables (issue 16): the communes it knows, with the key each signs
with; packages held until an official confirms a new commune's fingerprint; the packages received,
one per commune and week, with the figures the summary reads as plain columns."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("province")


@migrations()
def m001_province(db):
    db.execute("""create table province_communes (
        code text primary key, name text not null, province text not null,
        public_key text not null, fingerprint text not null,
        confirmed_by text not null, confirmed_at text not null)""")
    db.execute("""create table province_held (
        id integer primary key, file text not null, code text not null, name text not null,
        public_key text not null, fingerprint text not null, week text not null,
        package blob not null, received_at text not null,
        unique (code, public_key, week))""")
    db.execute("""create table province_packages (
        code text not null references province_communes(code), week text not null, week_start text not null,
        made_at text not null, imported_at text not null,
        digital integer not null, recorded integer not null, target integer not null, deadline text not null,
        projected_date text, on_track integer not null, new_digital integer not null,
        payload text not null, report_pdf blob,
        primary key (code, week_start)) without rowid""")
    # the province's total week by week, read from the index alone
    db.execute("create index province_packages_week on province_packages (week_start, digital)")
