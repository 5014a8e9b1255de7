import pytest

from layers import catalogue
from layers.catalogue import CatalogueError, UnknownIndustryError, resolve_industry
from tests.conftest import ROOT, normalise
from tests.plans import PLAN


def test_fourteen_clusters_ten_named_four_inferred():
    table = catalogue.clusters_table()
    assert len(table) == 14
    assert table["plan_named"].sum() == 10
    inferred = table[~table["plan_named"]]
    assert inferred["name"].str.contains("推测").all()


def test_named_clusters_appear_verbatim_in_the_plan(plan_text):
    table = catalogue.clusters_table()
    for name in table.loc[table["plan_named"], "name"]:
        assert normalise(name) in plan_text, name
    for name in table.loc[~table["plan_named"], "name"]:
        assert normalise(name.replace("（推测）", "")) not in plan_text, name


def test_directive_and_axis_texts_are_quoted_from_the_plan(plan_text):
    for row in catalogue.directives().itertuples():
        for clause in row.text.split("；"):
            if "进区入园" in clause:  # provincial policy, flagged in the directive's note
                assert row.note
                continue
            assert normalise(clause) in plan_text, clause
    for axis in catalogue.axes_table():
        assert normalise(axis["plan_text"].rstrip("。")) in plan_text
    for bay in catalogue.bay_areas_table():
        assert normalise(bay["plan_text"]) in plan_text


def test_kpi_table_matches_the_plan(plan_text):
    table = catalogue.kpis()
    assert len(table) == 15
    assert (table["attribute"] == "约束性").sum() == 3
    for row in table.itertuples():
        assert normalise(row.name) in plan_text, row.name
    profit = table.set_index("name").loc["制造业增加值占全市生产总值比重"]
    assert profit["baseline_2020"] == 24.9 and profit["target_2025"] == "29左右"


def test_taxonomy_has_5_4_3_and_future_industries():
    counts = catalogue.industries()["group"].value_counts()
    assert counts["first_class"] == 5 and counts["traditional"] == 4 and counts["emerging"] == 3
    assert counts["future"] == 3


@pytest.mark.parametrize(
    ("term", "industry"),
    [
        ("集成电路", "ict"),
        ("智能家电", "smart_appliances"),
        ("轨道交通装备", "rail_transit"),
        ("食品", "food"),
        ("高端化工", "chemicals"),
        ("nev", "nev"),
        ("New energy vehicles", "nev"),
        ("农机装备", "equipment"),
    ],
)
def test_plan_terms_resolve(term, industry):
    assert resolve_industry(term) == industry


def test_every_term_used_by_clusters_and_directives_resolves():
    terms = {t for inds in catalogue.clusters_table()["industries"] for t in inds}
    terms |= {t for ts in catalogue.directives()["terms"] for t in ts if t not in {"橡胶", "睫毛", "制帽"}}
    for bay in catalogue.bay_areas_table():
        terms |= set(bay["industries"])
    for term in terms:
        resolve_industry(term)


def test_unknown_industry_suggests_close_matches():
    with pytest.raises(UnknownIndustryError) as info:
        resolve_industry("新能源卡车")
    assert "新能源汽车" in info.value.suggestions
    assert "新能源卡车" in str(info.value)


def test_broken_catalogue_file_gives_precise_error(tmp_path, monkeypatch):
    (tmp_path / "kpis.toml").write_text('[[kpi]]\nname = "x"\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", tmp_path)
    catalogue._load.cache_clear()
    try:
        with pytest.raises(CatalogueError, match=r"kpis.toml: \[\[kpi\]\] #1 lacks"):
            catalogue.kpis()
        (tmp_path / "kpis.toml").write_text("[[kpi]\n", encoding="utf-8")
        catalogue._load.cache_clear()
        with pytest.raises(CatalogueError, match=r"kpis\.toml"):
            catalogue.kpis()
    finally:
        catalogue._load.cache_clear()


def test_every_synonym_is_asked_as_its_plan_term():
    import dataclasses

    from analysis.siting.project import make_project
    from layers.catalogue import industry_synonyms

    for row in industry_synonyms().itertuples():
        asked, plan = make_project(PLAN, row.word, 100.0), make_project(PLAN, row.term, 100.0)
        assert asked.given == row.word and asked.term == row.term, row.word
        assert dataclasses.replace(asked, given="") == dataclasses.replace(plan, given=""), row.word
        assert row.rationale and row.rationale_en


def test_the_plans_own_words_are_understood_and_places_are_not_industries():
    from layers.catalogue import UnknownIndustryError, resolve_industry

    assert resolve_industry("化工") == "chemicals" and resolve_industry("半导体") == resolve_industry("芯片") == "ict"
    for place in ("北京市", "莱西市", "胶州市", "黄岛区"):
        with pytest.raises(UnknownIndustryError) as err:
            resolve_industry(place)
        assert not any(s.endswith(("市", "区")) and s != "都市工业" for s in err.value.suggestions), (
            err.value.suggestions
        )


def test_a_synonym_ranks_exactly_as_the_plan_term(tmp_path):
    import json
    import subprocess
    import sys

    def ranking(word: str) -> list:
        args = ["-m", "analysis.siting", "--industry", word, "--land-mu", "300", "--top", "14", "--json"]
        out = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
        clusters = json.loads(out.stdout)["clusters"]
        return [(c["name"], c["score"], c["compliant"]) for c in clusters]

    assert ranking("化工") == ranking("高端化工")


def test_popups_and_exports_never_point_to_documents_users_do_not_have():
    """Every text cell of every layer (what popups and exports show) stands on its own."""
    from layers import load_layers

    for name, layer in load_layers().items():
        for column in layer.columns.drop(layer.geometry.name):
            text = layer[column].astype(str)
            bad = text[text.str.contains(r"DESIGN\.md|见 ?DESIGN|shared/", regex=True)]
            assert bad.empty, f"{name}.{column}: {bad.iloc[0]}"


def test_column_labels_keep_what_follows_a_colon_inside_a_name():
    """Issue 12 (11): a popup label was cut at the colon of EPSG:4549 ("面积 km²（EPSG")."""
    from layers.catalogue import layer_specs

    districts = layer_specs()["districts"]
    assert districts.column_label("area_km2") == "面积 km²（EPSG:4549 量算）"
    assert districts.column_label("area_km2", "en") == "area in km², measured in EPSG:4549"
    clusters = layer_specs()["clusters"]
    assert clusters.column_label("axis") == "所在轴带编号"  # the English explanation stays out of the zh label
