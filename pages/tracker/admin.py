"""Tracker administration, officials only (issue 8): users and roles, villages, teams, targets,
what makes a "công dân số", one person's data (export and erase on request), the whole
register's export, the audit log, and how long an idle signed-in session lasts (issue 15).

Files that record an audit line when made (exports) are made by a button first, then offered
for download, so merely opening the page never writes "exported" to the log.
"""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from pages._ui import plain, safety_copies
from pages._ui.frame import page_setup, show_refusal, t
from pages._ui.tracker_session import require_tracker_user
from workbench import i18n, text
from workbench.tracker import audit, auth, citizens, export, places, realtime, settings, signin, targets
from workbench.tracker import package as tracker_package
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_admin"))
db, user = require_tracker_user("admin")


def done(key: str, **params) -> None:
    st.session_state["admin_flash"] = t(key, **params)
    st.rerun()


if "admin_flash" in st.session_state:
    st.success(st.session_state.pop("admin_flash"), icon=":material/check_circle:")

villages = places.villages(db)
village_name = {v["id"]: v["name"] for v in villages}
teams = places.teams(db)
team_name = {tm["id"]: tm["name"] for tm in teams}
role_label = {r: t(f"tracker.role.{r}") for r in auth.ROLES}

tabs = st.tabs([t(f"tracker.admin.tab.{name}") for name in
                ("users", "villages", "teams", "targets", "definition", "citizens", "export", "audit")])

# --- users -----------------------------------------------------------------------------------
with tabs[0]:
    people = auth.users(db)
    st.dataframe(pd.DataFrame([{
        t("tracker.admin.col.username"): u["username"], t("tracker.admin.col.name"): u["display_name"],
        t("tracker.admin.col.role"): role_label.get(u["role"], u["role"]),
        t("tracker.admin.col.villages"): ", ".join(village_name.get(v, "?") for v in u["village_ids"]),
        t("tracker.admin.col.active"): "✓" if u["active"] else "✗"} for u in people]),
        hide_index=True, width="stretch")
    st.caption(t("tracker.admin.users_roles_help"))
    with st.expander(t("tracker.admin.add_user"), expanded=False):
        with st.form("admin_add_user"):
            display_name = st.text_input(t("tracker_session.display_name"), key="admin_new_display")
            username = st.text_input(t("tracker_session.username"), key="admin_new_username")
            role = st.selectbox(t("tracker.admin.col.role"), auth.ROLES, key="admin_new_role",
                                format_func=role_label.get)
            secret = st.text_input(t("tracker_session.secret"), type="password", key="admin_new_secret",
                                   help=t("tracker_session.secret_help"))
            chosen = st.multiselect(t("tracker.admin.col.villages"), list(village_name), key="admin_new_villages",
                                    format_func=village_name.get, help=t("tracker.admin.villages_help"))
            team = st.selectbox(t("tracker.admin.col.team"), [None, *team_name], key="admin_new_team",
                                format_func=lambda x: team_name.get(x, "—"))
            if st.form_submit_button(t("tracker.admin.add_user"), type="primary"):
                try:
                    auth.create_user(db, user, username=username, display_name=display_name, role=role,
                                     secret=secret, village_ids=chosen, team_id=team)
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.user_added", username=plain.md(text.fold(username).replace(" ", ".")))
    with st.expander(t("tracker.admin.change_user"), expanded=False):
        ids = [u["id"] for u in people]
        by_id = {u["id"]: u for u in people}
        picked = st.selectbox(t("tracker.admin.col.username"), ids, key="admin_pick_user",
                              format_func=lambda i: f"{by_id[i]['display_name']} ({by_id[i]['username']})")
        if picked:
            target = by_id[picked]
            new_role = st.selectbox(t("tracker.admin.col.role"), auth.ROLES, key=f"admin_role_{picked}",
                                    index=auth.ROLES.index(target["role"]), format_func=role_label.get)
            new_villages = st.multiselect(t("tracker.admin.col.villages"), list(village_name),
                                          default=list(target["village_ids"]), key=f"admin_villages_{picked}",
                                          format_func=village_name.get)
            if st.button(t("common.save"), key="admin_save_user"):
                try:
                    if new_role != target["role"]:
                        auth.set_role(db, user, picked, new_role)
                    if set(new_villages) != set(target["village_ids"]):
                        auth.set_villages(db, user, picked, new_villages)
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")
            new_secret = st.text_input(t("tracker.admin.new_secret"), type="password", key=f"admin_secret_{picked}",
                                       help=t("tracker_session.secret_help"))
            if st.button(t("tracker.admin.set_secret"), key="admin_set_secret"):
                try:
                    auth.set_secret(db, user, picked, new_secret)
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")
            label = "tracker.admin.disable" if target["active"] else "tracker.admin.enable"
            if st.button(t(label), key="admin_toggle_user"):
                try:
                    auth.set_active(db, user, picked, not target["active"])
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")
    with st.expander(t("tracker.admin.session_title"), expanded=False):
        with st.form("admin_idle"):
            low, high = signin.IDLE_RANGE
            idle = st.number_input(t("tracker.admin.idle_label"), min_value=low, max_value=high, step=5,
                                   value=signin.idle_minutes(db), key="admin_idle_minutes",
                                   help=t("tracker.admin.idle_help", low=low, high=high,
                                          default=signin.IDLE_DEFAULT))
            if st.form_submit_button(t("common.save"), type="primary"):
                try:
                    auth.set_idle_minutes(db, user, idle)
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")

# --- villages --------------------------------------------------------------------------------
with tabs[1]:
    current = places.commune(db) or {}
    with st.expander(t("tracker.admin.commune_title"), expanded=not current):
        with st.form("admin_commune"):
            name = st.text_input(t("tracker.admin.commune_name"), value=current.get("name", ""))
            province = st.text_input(t("tracker.admin.province"), value=current.get("province", "") or "")
            code = st.text_input(t("province.settings.commune_code"), value=tracker_package.commune_code(db) or "",
                                 help=t("province.settings.commune_code_help"), key="admin_commune_code")
            if st.form_submit_button(t("common.save")):
                try:
                    places.set_commune(db, name, province, actor=user["username"])
                    if code.strip() != (tracker_package.commune_code(db) or ""):  # issue 16: the weekly package's
                        tracker_package.set_commune_code(db, code, actor=user["username"])
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")
    st.dataframe(pd.DataFrame([{t("tracker.admin.col.code"): v["code"], t("tracker.admin.col.village"): v["name"],
                                t("tracker.admin.col.population"): v["population"],
                                t("tracker.admin.col.households"): v["households"]} for v in villages]),
                 hide_index=True, width="stretch")
    st.markdown(f"**{t('tracker.admin.village_form')}**")
    editing = st.selectbox(t("tracker.admin.village_which"), [None, *village_name], key="admin_village_pick",
                           format_func=lambda v: village_name.get(v, t("tracker.admin.new_village")))
    if st.session_state.get("admin_village_loaded", "none") != editing:
        # Another village chosen: its current values fill the form, ready to change.
        row = next((v for v in villages if v["id"] == editing), {})
        st.session_state.update({"admin_village_loaded": editing, "admin_village_name": row.get("name", ""),
                                 "admin_village_code": row.get("code") or "",
                                 "admin_village_population": row.get("population") or 0,
                                 "admin_village_households": row.get("households") or 0})
    with st.form("admin_village"):
        name = st.text_input(t("tracker.admin.col.village"), key="admin_village_name")
        code = st.text_input(t("tracker.admin.col.code"), key="admin_village_code")
        population = st.number_input(t("tracker.admin.col.population"), min_value=0, step=1,
                                     key="admin_village_population")
        households = st.number_input(t("tracker.admin.col.households"), min_value=0, step=1,
                                     key="admin_village_households")
        if st.form_submit_button(t("common.save"), type="primary"):
            try:
                places.save_village(db, name=name, code=code, population=population, households=households,
                                    actor=user["username"], village_id=editing)
            except TrackerError as error:
                show_refusal(error, as_text=True)
            else:
                done("tracker.admin.saved")
    st.caption(t("tracker.admin.village_help"))

# --- teams -----------------------------------------------------------------------------------
with tabs[2]:
    st.dataframe(pd.DataFrame([{t("tracker.admin.col.team"): tm["name"],
                                t("tracker.admin.col.village"): tm["village_name"] or "—",
                                t("tracker.admin.col.members"): tm["members"]} for tm in teams]),
                 hide_index=True, width="stretch")
    with st.form("admin_team"):
        st.markdown(f"**{t('tracker.admin.team_form')}**")
        name = st.text_input(t("tracker.admin.col.team"), key="admin_team_name")
        village = st.selectbox(t("tracker.admin.col.village"), [None, *village_name], key="admin_team_village",
                               format_func=lambda v: village_name.get(v, "—"))
        if st.form_submit_button(t("tracker.admin.add_team"), type="primary"):
            try:
                places.save_team(db, name=name, village_id=village, actor=user["username"])
            except TrackerError as error:
                show_refusal(error, as_text=True)
            else:
                done("tracker.admin.saved")
    if team_name:
        with st.form("admin_member"):
            st.markdown(f"**{t('tracker.admin.member_form')}**")
            team = st.selectbox(t("tracker.admin.col.team"), list(team_name), key="admin_member_team",
                                format_func=team_name.get)
            member = st.text_input(t("tracker.admin.member_name"), key="admin_member_name")
            leader = st.checkbox(t("tracker.admin.member_leader"), key="admin_member_leader")
            if st.form_submit_button(t("tracker.admin.add_member"), type="primary"):
                try:
                    places.add_team_member(db, team, member, actor=user["username"],
                                           role="leader" if leader else "member")
                except TrackerError as error:
                    show_refusal(error, as_text=True)
                else:
                    done("tracker.admin.saved")
        shown = st.selectbox(t("tracker.admin.members_of"), list(team_name), key="admin_members_of",
                             format_func=team_name.get)
        for m in places.team_members(db, shown):
            st.markdown(f"- {plain.md(m['full_name'])}" + (f" ({t('tracker.admin.member_leader')})" if m["role"] == "leader"
                                                 else ""))

# --- targets ---------------------------------------------------------------------------------
with tabs[3]:
    def metric_label(metric: str) -> str:
        if metric.startswith("m_"):
            return t(f"tracker.milestone.{metric[2:]}")
        return t(f"tracker.admin.metric.{metric}")

    for target in targets.saved(db):
        progress = targets.progress(db, target)
        unit = "%" if target["kind"] == "percent" else ""
        with st.container(border=True):
            st.markdown(f"**{plain.md(target['name'])}** — {metric_label(target['metric'])}")
            st.progress(progress["ratio"], text=t("tracker.admin.target_line", current=f"{progress['current']:.0f}{unit}",
                                                  goal=f"{target['value']:g}{unit}",
                                                  deadline=i18n.format_date(dt.date.fromisoformat(target["deadline"]))))
            if st.button(t("tracker.admin.delete_target"), key=f"admin_del_target_{target['id']}"):
                targets.delete(db, target["id"], actor=user["username"])
                done("tracker.admin.saved")
    with st.form("admin_target"):
        st.markdown(f"**{t('tracker.admin.target_form')}**")
        name = st.text_input(t("tracker.admin.target_name"), key="admin_target_name",
                             placeholder="1.000 công dân số")
        metric = st.selectbox(t("tracker.admin.target_metric"), targets.METRICS, key="admin_target_metric",
                              format_func=metric_label)
        kind = st.radio(t("tracker.admin.target_kind"), ["number", "percent"], key="admin_target_kind",
                        horizontal=True, format_func=lambda k: t(f"tracker.admin.kind.{k}"))
        value = st.number_input(t("tracker.admin.target_value"), min_value=0.0, step=1.0, key="admin_target_value")
        scope = st.radio(t("tracker.admin.target_scope"), targets.SCOPES, key="admin_target_scope",
                         horizontal=True, format_func=lambda s: t(f"tracker.admin.scope.{s}"))
        options = {**{("village", k): v for k, v in village_name.items()},
                   **{("team", k): v for k, v in team_name.items()}}
        scope_item = st.selectbox(t("tracker.admin.target_scope_item"), [None, *options], key="admin_target_item",
                                  format_func=lambda k: options.get(k, "—"))
        deadline = st.date_input(t("tracker.admin.target_deadline"), key="admin_target_deadline",
                                 value=dt.date(realtime.today().year, 12, 31), format="DD/MM/YYYY")
        if st.form_submit_button(t("tracker.admin.add_target"), type="primary"):
            scope_id = scope_item[1] if scope_item and scope_item[0] == scope else None
            try:
                targets.add(db, name=name, metric=metric, kind=kind, value=value, scope=scope,
                            scope_id=scope_id, deadline=deadline, actor=user["username"])
            except TrackerError as error:
                show_refusal(error, as_text=True)
            else:
                done("tracker.admin.saved")

# --- definition ------------------------------------------------------------------------------
with tabs[4]:
    st.write(t("tracker.admin.definition_body"))
    current = settings.definition(db)
    with st.form("admin_definition"):
        chosen = [m for m in MILESTONES
                  if st.checkbox(t(f"tracker.milestone.{m}"), value=m in current, key=f"admin_def_{m}",
                                 help=settings.milestone_help(m, realtime.today(), lang) or None)]
        if st.form_submit_button(t("common.save"), type="primary"):
            try:
                count = settings.set_definition(db, chosen, actor=user["username"])
            except TrackerError as error:
                show_refusal(error, as_text=True)
            else:
                done("tracker.admin.definition_saved", count=count)
    st.caption(t("tracker.admin.definition_default"))

# --- one person's data: export and erase on request ----------------------------------------------
with tabs[5]:
    st.write(t("tracker.admin.citizen_body"))
    query = st.text_input(t("tracker.entry.search_label"), key="admin_citizen_query",
                          placeholder=t("tracker.entry.search_placeholder"))
    found = auth.search(db, user, query, limit=20) if query.strip() else []
    if query.strip() and not found:
        st.info(t("tracker.entry.none_found", query=plain.md(query)))
    if found:
        labels = {r["id"]: t("tracker.entry.result_line", name=r["full_name"], year=r["birth_year"],
                             village=r["village_name"] or "") for r in found}
        picked = st.selectbox(t("tracker.admin.citizen_pick"), list(labels), key="admin_citizen_pick",
                              format_func=lambda i: f"{next(r['full_name'] for r in found if r['id'] == i)} — {labels[i]}")
        person = auth.citizen_for(db, user, picked)
        reached = citizens.milestones_of(db, picked)
        with st.container(border=True):
            st.markdown(f"**{plain.md(person['full_name'])}** · {person['birth_year']} · "
                        f"{plain.md(person['village_name'])}")
            st.caption(t("tracker.admin.consent_line", by=plain.md(person["consent_by"] or "?"),
                         date=i18n.format_date(dt.date.fromisoformat(person["consent_date"]))
                         if person["consent_date"] else "?"))
            for m in MILESTONES:
                if m in reached:
                    st.markdown(f"- {t(f'tracker.milestone.{m}')}: "
                                f"{i18n.format_date(dt.date.fromisoformat(reached[m]['date']))}")
        if st.button(t("tracker.admin.prepare_citizen_export"), key="admin_citizen_export"):
            st.session_state["admin_citizen_json"] = (picked, auth.export_citizen(db, user, picked))
        ready = st.session_state.get("admin_citizen_json")
        if ready and ready[0] == picked:
            st.download_button(t("tracker.admin.download_citizen"), ready[1], file_name=f"cong-dan-{picked}.json",
                               mime="application/json", key="admin_citizen_download", width="stretch")
        st.markdown(f"**{t('tracker.admin.erase_title')}**")
        st.caption(t("tracker.admin.erase_body"))
        sure = st.checkbox(t("tracker.admin.erase_confirm"), key=f"admin_erase_sure_{picked}")
        if st.button(t("tracker.admin.erase"), key="admin_erase", type="primary", disabled=not sure):
            try:
                auth.erase_citizen(db, user, picked)
            except TrackerError as error:
                show_refusal(error, as_text=True)
            else:
                st.session_state.pop("admin_citizen_json", None)
                done("tracker.admin.erased")

# --- export the register -----------------------------------------------------------------------
with tabs[6]:
    st.write(t("tracker.admin.export_body"))
    kind = st.radio(t("tracker.admin.export_format"), ["xlsx", "csv"], key="admin_export_kind", horizontal=True,
                    format_func=str.upper)
    if st.button(t("tracker.admin.prepare_export"), key="admin_export_prepare", width="stretch"):
        maker = export.to_xlsx if kind == "xlsx" else export.to_csv
        st.session_state["admin_export"] = (kind, maker(db, actor=user["username"]))
    ready = st.session_state.get("admin_export")
    if ready:
        stamp = realtime.today().strftime("%Y%m%d")
        mime = "text/csv" if ready[0] == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        st.download_button(t("tracker.admin.download_export", kind=ready[0].upper()), ready[1],
                           file_name=f"cong-dan-so-{stamp}.{ready[0]}", mime=mime, key="admin_export_download",
                           width="stretch")
    st.divider()
    safety_copies.show()  # the copies of the whole register taken before each restore (Settings)

# --- audit log -------------------------------------------------------------------------------
with tabs[7]:
    st.write(t("tracker.admin.audit_body"))
    lines = audit.log(db, limit=500)
    st.dataframe(pd.DataFrame([{t("tracker.admin.col.at"): a["at"].replace("T", " "),
                                t("tracker.admin.col.actor"): a["actor"],
                                t("tracker.admin.col.action"): t(f"tracker.action.{a['action']}")
                                if i18n.has(f"tracker.action.{a['action']}") else a["action"],
                                t("tracker.admin.col.entity"): f"{a['entity']} {a['entity_id'] or ''}".strip(),
                                t("tracker.admin.col.detail"): ", ".join(f"{k}={v}" for k, v in
                                                                         json.loads(a["detail"] or "{}").items())}
                               for a in lines]), hide_index=True, width="stretch")
