"""The procedure catalogue: data in sandbox_data/procedures.toml, searched without diacritics."""

import pytest

from workbench import events, i18n
from workbench.sandbox import catalogue, personas

REQUIRED = ["khai_sinh", "khai_sinh_lien_thong", "ket_hon", "khai_tu", "thuong_tru", "tam_tru", "tach_ho",
            "chung_thuc_ban_sao", "chung_thuc_chu_ky", "xac_nhan_hon_nhan", "tro_cap_tai_nha"]


def test_the_catalogue_holds_the_procedures_the_seeds_name():
    assert [p["id"] for p in catalogue.load()] == REQUIRED


@pytest.mark.parametrize("proc", catalogue.load(), ids=lambda p: p["id"])
def test_every_procedure_is_complete_in_both_languages(proc):
    assert proc["field"] in catalogue.fields()
    assert proc["online_level"] in catalogue.online_levels()
    assert isinstance(proc["processing_days"], int) and proc["processing_days"] >= 0
    assert proc["documents"] and any(d["required"] for d in proc["documents"])
    assert proc["form_pages"][0]["id"] == "requester"
    for value in [proc["name"], proc["legal_time"], proc["result"]] + \
            [d["name"] for d in proc["documents"]] + [f["label"] for f in proc["fields_all"]]:
        assert value["vi"].strip() and value["en"].strip()
    for field in proc["fields_all"]:
        assert field["type"] in ("text", "date", "select", "number", "phone")
        assert field["type"] != "select" or field["options"]


def test_search_ignores_diacritics_and_spaces():
    for typed in ("khai sinh", "Khai Sinh", "khaisinh", "KHAI SINH", "đăng ký khai sinh"):
        assert catalogue.search(typed)[0]["id"] == "khai_sinh", typed


def test_search_by_keyword_and_by_field():
    assert {p["id"] for p in catalogue.search("hộ khẩu")} == {"thuong_tru", "tach_ho"}
    assert {p["id"] for p in catalogue.search("", field="cu_tru")} == {"thuong_tru", "tam_tru", "tach_ho"}
    assert catalogue.search("khai sinh", field="cu_tru") == []
    assert catalogue.search("xyz không có") == []


def test_an_unknown_procedure_has_a_message():
    with pytest.raises(catalogue.UnknownProcedure) as missing:
        catalogue.get("nope")
    assert i18n.t(missing.value.key, **missing.value.params) != missing.value.key


def test_searches_and_views_are_recorded(sandbox_db):
    person = personas.create(sandbox_db, seed=3)
    results = catalogue.search("tạm trú")
    catalogue.record_search(sandbox_db, person["id"], "tạm trú", None, results)
    catalogue.record_view(sandbox_db, person["id"], "tam_tru")
    logged = events.for_persona(sandbox_db, person["id"], kinds=["catalogue.searched", "procedure.viewed"])
    assert [e["payload"].get("results") or e["payload"]["procedure_id"] for e in logged] == [["tam_tru"], "tam_tru"]
