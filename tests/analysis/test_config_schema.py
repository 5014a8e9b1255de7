"""Parameter files (亩产效益 and site selection): hostile values are refused naming the key; valid ones round-trip."""

from __future__ import annotations

import contextlib
import math
import re

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from analysis.land_yield.config import INDICATORS, ConfigError, ScoringConfig, default_config, load_config
from analysis.param_schema import MAX_NUMBER, Number, Sequence, Table, Text, check
from analysis.siting.config import FACTORS, FIT_LEVELS, NODE_KINDS, SitingConfig, SitingConfigError, load_siting_config
from layers.catalogue import industries
from tests.conftest import ROOT
from tests.plans import PLAN

LY_TOML = (ROOT / "analysis" / "land_yield" / "land_yield.toml").read_text(encoding="utf-8")
SITING_TOML = (ROOT / "analysis" / "siting" / "siting.toml").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_line(text: str, key: str, value: str) -> bytes:
    """``text`` with the first ``key = …`` line set to ``key = value``."""
    new, n = re.subn(rf"^{re.escape(key)} = .*$", lambda _: f"{key} = {value}", text, count=1, flags=re.M)
    assert n == 1, key
    return new.encode("utf-8")


# ---- 亩产效益 (land_yield.toml) ------------------------------------------------------------------

LY_HOSTILE = [
    ("winsorize", "[0.1]", "winsorize"),
    ("winsorize", "[0.5, 0.2]", "winsorize"),
    ("winsorize", '["a", 0.9]', "winsorize[0]"),
    ("excluded_divisions", "44", "excluded_divisions"),
    ("excluded_divisions", "[44, 4.5]", "excluded_divisions[1]"),
    ("excluded_divisions", "[44, 450]", "excluded_divisions[1]"),
    ("evaluation_year", '"2025"', "evaluation_year"),
    ("evaluation_year", "2025.0", "evaluation_year"),
    ("evaluation_year", "99999", "evaluation_year"),
    ("evaluation_year", "true", "evaluation_year"),
    ("new_firm_years", "-1", "new_firm_years"),
    ("min_cohort", "0", "min_cohort"),
    ("cap", "nan", "cap"),
    ("cap", "inf", "cap"),
    ("cap", "1e308", "cap"),
    ("min_land_mu_below", "-inf", "min_land_mu_below"),
    ("benchmark", '"county"', "benchmark"),
    ("official", '"false"', "official"),
    ("title", r'"第一行\n第二行"', "title"),
    ("title", r'"名\u000b称"', "title"),
    ("title", r'"evil\u202Egnp.exe"', "title"),
    ("title", r'"\u200b"', "title"),
    ("title", '"' + "长" * 201 + '"', "title"),
    ("title_en", '"   "', "title_en"),
    ("title", "42", "title"),
    ("tax_per_mu", "1e308", "weights.tax_per_mu"),
    ("tax_per_mu", "-1", "weights.tax_per_mu"),
    ("tax_per_mu", "nan", "weights.tax_per_mu"),
    ("tax_per_mu", '"40"', "weights.tax_per_mu"),
    ("D", "0.5", "shares"),
    ("D", "1e308", "shares.D"),
]


@pytest.mark.parametrize(("key", "value", "named"), LY_HOSTILE)
def test_hostile_land_yield_values_are_refused_naming_the_key(key, value, named):
    with pytest.raises(ConfigError) as err:
        load_config(with_line(LY_TOML, key, value))
    message = str(err.value)
    assert named in message, message
    assert "/" in message and "\n" not in message  # 中文 / English, one line


def test_every_land_yield_weight_1e308_is_refused_so_scores_stay_finite():
    text = LY_TOML
    for k in INDICATORS:
        text = with_line(text, k, "1e308").decode()
    with pytest.raises(ConfigError) as err:
        load_config(text.encode())
    for k in INDICATORS:  # every problem is reported, not only the first
        assert f"weights.{k}" in str(err.value)
    with pytest.raises(ConfigError, match=r"weights\.tax_per_mu"):
        default_config().with_changes(weights={"tax_per_mu": 1e308, "rd_intensity": 1e308})
    with pytest.raises(ConfigError, match="weights_below"):
        default_config().with_changes(weights_below={"tax_per_mu": 0.0})


def test_unknown_and_missing_keys_are_reported():
    with pytest.raises(ConfigError, match=r"unknown parameters \['evaluation_yaer'\]"):
        load_config(LY_TOML.replace("evaluation_year", "evaluation_yaer").encode())
    with pytest.raises(ConfigError, match=r"unknown indicators \['tax_per_acre'\]"):
        load_config(LY_TOML.replace("tax_per_mu = 40", "tax_per_acre = 40").encode())
    with pytest.raises(ConfigError, match=r"missing parameters \['shares'\]"):
        load_config(LY_TOML.split("[shares]")[0].encode())
    with pytest.raises(ConfigError, match=r"weights: 须为表 / must be a table"):
        load_config(b"weights = 3\n[weights_below]\ntax_per_mu = 1\n[shares]\nA = 0.2\nB = 0.4\nC = 0.35\nD = 0.05\n")


def test_title_is_normalised_nfkc_and_stripped():
    config = load_config(with_line(LY_TOML, "title", '"　ＡＢＣ参数（试行）  "'))
    assert config.title == "ABC参数(试行)"
    assert load_config(config.to_toml().encode()).title == config.title


def test_a_title_with_a_newline_cannot_lock_the_page():
    """The page keeps the configuration as TOML and reloads it: what is accepted must load again."""
    with pytest.raises(ConfigError, match="title"):
        default_config().with_changes(title="一\n二")
    with pytest.raises(ConfigError, match="title"):
        load_config(with_line(LY_TOML, "title", r'"一\n二"'))


@st.composite
def weights(draw: st.DrawFn, keys: tuple[str, ...], all_keys: bool = False) -> dict[str, float]:
    values = st.floats(0.0, MAX_NUMBER) | st.sampled_from([0.0, 1.0, 15.0, 1e-6, MAX_NUMBER])
    if all_keys:
        return {k: draw(values) for k in keys}
    return draw(st.dictionaries(st.sampled_from(keys), values, min_size=1, max_size=len(keys)))


TITLES = st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=60)


@st.composite
def shares(draw: st.DrawFn) -> dict[str, float]:
    raw = [draw(st.floats(0.0, 1.0)) for _ in "ABCD"]
    total = math.fsum(raw)
    if total == 0:
        reject()
    return {c: v / total for c, v in zip("ABCD", raw, strict=True)}


@SETTINGS
@given(
    w=weights(tuple(INDICATORS)),
    wb=weights(tuple(INDICATORS)),
    sh=shares(),
    year=st.integers(1990, 2100),
    new_years=st.integers(0, 100),
    divisions=st.lists(st.integers(1, 99), max_size=10),
    min_mu=st.floats(0.0, MAX_NUMBER),
    benchmark=st.sampled_from(["district", "city"]),
    cohort=st.integers(1, 1_000_000),
    cap=st.floats(1.0, 100.0),
    winsor=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2, unique=True).map(sorted),
    rank_within=st.sampled_from(["scale", "scale_district"]),
    official=st.booleans(),
    title=TITLES,
    title_en=TITLES,
)
def test_every_valid_land_yield_config_round_trips(**kw):
    try:
        config = ScoringConfig(weights=kw["w"], weights_below=kw["wb"], shares=kw["sh"], evaluation_year=kw["year"],
                               new_firm_years=kw["new_years"], excluded_divisions=tuple(kw["divisions"]),
                               min_land_mu_below=kw["min_mu"], benchmark=kw["benchmark"], min_cohort=kw["cohort"],
                               cap=kw["cap"], winsorize=kw["winsor"], rank_within=kw["rank_within"],
                               official=kw["official"], title=kw["title"], title_en=kw["title_en"])  # fmt: skip
    except ConfigError:
        reject()  # e.g. weights adding up to less than 1e-6, winsorize low ≥ high, an empty title
    text = config.to_toml()
    again = load_config(text.encode("utf-8"))
    assert again == config
    assert again.to_toml() == text


@SETTINGS
@given(
    key=st.sampled_from(["evaluation_year", "new_firm_years", "excluded_divisions", "min_land_mu_below", "benchmark",
                         "min_cohort", "cap", "winsorize", "rank_within", "official", "title", "tax_per_mu", "A"]),
    value=st.sampled_from(['"2025"', "[0.1]", "44", "nan", "inf", "-inf", "1e308", "-1e308", "true", "{ a = 1 }",
                           r'"a\u000bb"', r'"\r"', "[]", "[[1]]", "1979-05-27", "0", "-1", "2.5", "[1, 2, 3]",
                           "9223372036854775807", "0.5", '""']),
)  # fmt: skip
def test_any_replaced_value_loads_or_is_refused_naming_its_key(key, value):
    try:
        load_config(with_line(LY_TOML, key, value))
    except ConfigError as exc:
        assert key in str(exc) or (key == "A" and "shares" in str(exc)), str(exc)


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_bytes_give_a_config_error_only(data):
    for load, error in ((load_config, ConfigError), (load_siting_config, SitingConfigError)):
        with contextlib.suppress(error):  # anything else fails the test
            load(data)


# ---- site selection (siting.toml) ----------------------------------------------------------------


SITING_HOSTILE = [
    ("plan_fit", "1e308", "weights.plan_fit"),
    ("plan_fit", "nan", "weights.plan_fit"),
    ("plan_fit", '"40"', "weights.plan_fit"),
    ("leading", "1.5", "plan_fit.leading"),
    ("inferred_factor", "-0.1", "plan_fit.inferred_factor"),
    ("min_tax_wan_per_mu", "inf", "standard_land.min_tax_wan_per_mu"),
    ("full_m", "-5", "distance.axis.full_m"),
    ("zero_m", "10", "zero_m"),
    ("interchange", "1e308", "transport_weights.interchange"),
    ("tolerance", "0.95", "land.tolerance"),
    ("official", '"false"', "official"),
    ("title", r'"a\nb"', "title"),
    ("title_en", r'"x\u2066y"', "title_en"),
]


@pytest.mark.parametrize(("key", "value", "named"), SITING_HOSTILE)
def test_hostile_siting_values_are_refused_naming_the_key(key, value, named):
    with pytest.raises(SitingConfigError) as err:
        load_siting_config(with_line(SITING_TOML, key, value))
    assert named in str(err.value), str(err.value)


def test_siting_unknown_keys_and_zero_weights():
    with pytest.raises(SitingConfigError, match=r"unknown parameters \['bogus'\]"):
        load_siting_config(("bogus = 1\n" + SITING_TOML).encode())
    with pytest.raises(SitingConfigError, match=r"unknown industry ids \['marinex'\]"):
        load_siting_config(SITING_TOML.replace("by_industry.marine]", "by_industry.marinex]").encode(), PLAN)
    with pytest.raises(SitingConfigError, match=r"unknown distance kinds \['seaport'\]"):
        load_siting_config((SITING_TOML + "\n[distance.seaport]\nfull_m = 1\nzero_m = 2\n").encode())
    zero = {f: 0.0 for f in FACTORS} | {"free_land": 1.0}
    with pytest.raises(SitingConfigError, match="weights"):  # no plots → no factor left to score
        load_siting_config(None, PLAN).with_changes(weights=zero)
    with pytest.raises(SitingConfigError, match=r"transport_weights\.by_industry\.ict"):
        load_siting_config(None, PLAN).with_changes(transport_by_industry={"ict": {"port": 0.0}})


@st.composite
def siting_configs(draw: st.DrawFn) -> SitingConfig:
    distance = {}
    for kind in ("axis", *NODE_KINDS):
        a, b = sorted(draw(st.lists(st.floats(0.0, 1e6), min_size=2, max_size=2, unique=True)))
        distance[kind] = (a, b)
    ids = tuple(industries()["id"])
    try:
        return SitingConfig(
            weights=draw(weights(FACTORS, all_keys=True)),
            fit={k: draw(st.floats(0.0, 1.0)) for k in FIT_LEVELS},
            standard_land=draw(weights(("min_investment_wan_per_mu", "min_tax_wan_per_mu", "min_tax_wan_per_tce"),
                                       all_keys=True)),
            distance=distance,
            transport_weights=draw(weights(NODE_KINDS)),
            transport_by_industry=draw(st.dictionaries(st.sampled_from(ids), weights(NODE_KINDS), max_size=3)),
            inferred_factor=draw(st.floats(0.0, 1.0)),
            land_tolerance=draw(st.floats(0.0, 0.9)),
            land_full_ratio=draw(st.floats(1.0, 100.0)),
            official=draw(st.booleans()),
            title=draw(TITLES),
            title_en=draw(TITLES),
        )  # fmt: skip
    except SitingConfigError:
        reject()


@SETTINGS
@given(siting_configs())
def test_every_valid_siting_config_round_trips(config):
    text = config.to_toml()
    again = load_siting_config(text.encode("utf-8"))
    assert again == config
    assert again.to_toml() == text
    for industry in ("ict", "food"):
        assert all(math.isfinite(v) for v in config.node_weights(industry).values())


# ---- the helper itself ---------------------------------------------------------------------------


def test_check_collects_every_problem_with_its_key():
    schema = Table({"a": Number(0, 1), "b": Sequence(Number(), 2, 2), "t": Table({"x": Number()}, min_sum=1)})
    with pytest.raises(ValueError) as err:
        check(schema, {"a": 2, "b": [1], "t": {"x": 0.5, "y": 1}, "z": 0}, ValueError, "f.toml")
    message = str(err.value)
    assert message.startswith("f.toml: ")
    for part in ("unknown keys ['z']", "a: 须在 0–1 之间", "b: 须有 2 项", "[t] 未知键 / unknown keys ['y']"):
        assert part in message
    assert check(schema, {"a": 1, "b": [1, 2.5], "t": {"x": 1}}, ValueError) == {
        "a": 1.0,
        "b": (1.0, 2.5),
        "t": {"x": 1.0},
    }


@pytest.mark.parametrize("bad", ["a\x00b", "a\tb", "a\u2028b", "\ufeffa", "a\ue000", "\U000e0041"])
def test_text_refuses_control_format_and_private_characters(bad):
    with pytest.raises(ValueError, match="U\\+"):
        check(Table({"t": Text()}), {"t": bad}, ValueError)
