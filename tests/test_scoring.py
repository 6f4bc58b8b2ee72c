"""Scoring models: hand-computed scores, scales, missing inputs, imputation, weights."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mitrm.core.prioritization.scoring import get_model, make_context, score_requirements
from mitrm.core.prioritization.scoring.types import Score
from mitrm.errors import UsageError
from scoring_helpers import TODAY, full, req, settings


def score(item, model: str = "weighted", impute: str | None = None, **config) -> Score:  # type: ignore[no-untyped-def]
    chosen = get_model(model)
    weights = config.pop("weights", None)
    ctx = make_context(settings(**config), model=chosen, today=TODAY, weights=weights)
    scores, _ = score_requirements([item], model=chosen, ctx=ctx, impute=impute)
    return scores[0]


def contributions(result: Score) -> dict[str, float]:
    return {term.name: round(term.contribution, 6) for term in result.terms}


def test_weighted_by_hand() -> None:
    # weights 3, 2, 2, 1.5, 1.5 (sum 10); points value 4, urgency 3, roi 2.5 -> 3,
    # difficulty 2 -> 4, risk 5: 20 x (12 + 6 + 6 + 6 + 7.5) / 10 = 75
    result = score(full("REQ-0001"))
    assert result.value == pytest.approx(75.0)
    assert contributions(result) == {
        "value": 24.0,
        "urgency": 12.0,
        "roi": 12.0,
        "difficulty": 12.0,
        "risk_reduction": 15.0,
    }
    roi = next(term for term in result.terms if term.name == "roi")
    assert roi.input == 2.5 and roi.points == 3


@pytest.mark.parametrize(
    ("cost", "benefit", "points"),
    [
        (100, 50, 1),
        (100, 100, 2),
        (100, 299, 3),
        (100, 300, 4),
        (100, 500, 5),
        (0, 1, 5),
        (0, 0, 1),
    ],
)
def test_roi_steps(cost: int, benefit: int, points: int) -> None:
    result = score(full("REQ-0001", cost=cost, benefit=benefit))
    assert next(t.points for t in result.terms if t.name == "roi") == points


def test_weighted_with_settings_and_what_if_weights() -> None:
    # only value counts: 20 x 4 = 80
    zero = {"urgency": 0, "roi": 0, "difficulty": 0, "risk_reduction": 0}
    assert score(full("REQ-0001"), weights={"value": 1, **zero}).value == pytest.approx(80)
    config = settings(weights={"value": 1, **zero})
    chosen = get_model("weighted")
    ctx = make_context(config, model=chosen, today=TODAY)
    assert score_requirements([full("REQ-0001")], model=chosen, ctx=ctx)[0][0].value == 80


@pytest.mark.parametrize(
    ("days", "urgency"), [(-3, 5), (0, 5), (30, 5), (31, 4), (90, 4), (180, 3), (365, 2), (366, 1)]
)
def test_urgency_from_due_date(days: int, urgency: int) -> None:
    item = full("REQ-0001", urgency=None, due=TODAY + dt.timedelta(days=days))
    term = next(t for t in score(item).terms if t.name == "urgency")
    assert term.points == urgency
    assert "derived from due" in term.source


def test_urgency_from_due_can_be_turned_off() -> None:
    item = full("REQ-0001", urgency=None, due=TODAY)
    result = score(item, urgency_from_due=False)
    assert result.value is None and result.missing == ("scoring.urgency",)


def test_missing_inputs_are_named_never_zero() -> None:
    result = score(req("REQ-0001", value=3))
    assert result.value is None
    assert result.missing == (
        "scoring.urgency or due",
        "estimate.benefit",
        "estimate.cost",
        "scoring.difficulty",
        "scoring.risk_reduction",
    )


def test_impute_median_is_opt_in_and_said() -> None:
    chosen = get_model("weighted")
    ctx = make_context(settings(), model=chosen, today=TODAY)
    items = [full("REQ-0001", value=1), full("REQ-0002", value=5), full("REQ-0003", value=None)]
    plain, medians = score_requirements(items, model=chosen, ctx=ctx)
    assert plain[2].value is None and medians == {}
    filled, medians = score_requirements(items, model=chosen, ctx=ctx, impute="median")
    assert medians["value"] == 3
    assert filled[2].value == pytest.approx(69)  # value 3: 20 x (9 + 6 + 6 + 6 + 7.5) / 10
    assert any("imputed as the median" in rule for rule in filled[2].rules)


def test_rice_by_hand() -> None:
    item = req("REQ-0001", reach=500, impact=2, confidence=80, effort_months=4)
    assert score(item, "rice").value == pytest.approx(500 * 2 * 0.8 / 4)


def test_wsjf_by_hand_and_time_criticality_from_due() -> None:
    item = req("REQ-0001", business_value=8, time_criticality=5, opportunity=3, job_size=5)
    assert score(item, "wsjf").value == pytest.approx(16 / 5)
    derived = req(
        "REQ-0002",
        business_value=8,
        opportunity=3,
        job_size=8,
        due=TODAY + dt.timedelta(days=45),
    )
    assert score(derived, "wsjf").value == pytest.approx((8 + 13 + 3) / 8)


def test_ice_is_the_product() -> None:
    item = req("REQ-0001", ice_impact=8, ice_confidence=7, ease=5)
    assert score(item, "ice").value == 280


def test_moscow_category_is_the_tier() -> None:
    must = score(full("REQ-0001", moscow="must"), "moscow")
    wont = score(full("REQ-0002", moscow="wont"), "moscow")
    assert must.value == wont.value == pytest.approx(75)
    assert must.tier < wont.tier
    assert must.tier_label == "must"
    assert score(full("REQ-0003"), "moscow").missing == ("scoring.moscow",)


def test_security_and_compliance_rank_first_unless_settings_say_otherwise() -> None:
    assert score(full("REQ-0001", type="security")).tier == 0
    assert score(full("REQ-0002", type="feature")).tier == 1
    assert score(full("REQ-0003", type="security"), boost_types=[]).tier == 1


@pytest.mark.parametrize(
    ("field", "value", "scale"),
    [
        ("impact", 4, "RICE impact"),
        ("confidence", 90, "RICE confidence"),
        ("job_size", 4, "Fibonacci"),
        ("business_value", 21, "Fibonacci"),
    ],
)
def test_off_scale_values_are_validation_errors(field: str, value: int, scale: str) -> None:
    with pytest.raises(ValidationError) as caught:
        req("REQ-0001", **{field: value})  # type: ignore[arg-type]
    assert scale in str(caught.value)


def test_unknown_model_and_weights_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown scoring model 'magic'"):
        get_model("magic")
    with pytest.raises(UsageError, match="no weight 'reach'"):
        score(full("REQ-0001"), weights={"reach": 2})
    with pytest.raises(UsageError, match="the rice model has no weight"):
        score(full("REQ-0001"), "rice", weights={"value": 2})
    with pytest.raises(UsageError, match="at least 0"):
        score(full("REQ-0001"), weights={"value": -1})


@given(
    st.lists(
        st.tuples(
            *(st.integers(1, 5) for _ in range(4)), st.integers(0, 1000), st.integers(1, 1000)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_scores_are_absolute(rows: list[tuple[int, int, int, int, int, int]]) -> None:
    items = [
        req(f"REQ-{n:04d}", value=v, urgency=u, difficulty=d, risk_reduction=r, benefit=b, cost=c)
        for n, (v, u, d, r, b, c) in enumerate(rows, start=1)
    ]
    chosen = get_model("weighted")
    ctx = make_context(settings(), model=chosen, today=TODAY)
    together, _ = score_requirements(items, model=chosen, ctx=ctx)
    for item, result in zip(items, together, strict=True):
        alone, _ = score_requirements([item], model=chosen, ctx=ctx)
        assert alone[0].value == result.value
        assert result.value is not None and 20 <= result.value <= 100


def test_a_misspelt_boost_type_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown requirement type 'securty'"):
        score(full("REQ-0001"), boost_types=["securty"])


def test_settings_name_exactly_the_scoring_models() -> None:
    import typing

    from mitrm.core.models.settings import ModelName
    from mitrm.core.prioritization.scoring import MODELS

    assert set(typing.get_args(ModelName)) == set(MODELS)


def test_an_unknown_model_in_settings_is_reported_by_validate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mitrm.errors import SettingsError
    from mitrm.io.repository import load_settings

    (tmp_path / "mitrm.yaml").write_text("scoring:\n  model: foo\n", encoding="utf-8")
    try:
        load_settings(tmp_path)
    except SettingsError as exc:
        lines = [d.text() for d in exc.diagnostics]  # type: ignore[attr-defined]
        assert any("mitrm.yaml:2:10: error MIT10" in line and "scoring.model" in line
                   for line in lines), lines  # fmt: skip
    else:
        raise AssertionError("an unknown model must be refused")
