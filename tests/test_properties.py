"""Property: whatever an editor types, the result is a valid site or a clean list of messages."""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.site.assets import collect_assets
from sitegen.results import compute_results
from sitegen.errors import ContentErrors
from sitegen.content.read import RawContent, parse_yaml
from sitegen.site.pages import RenderMemo
from sitegen.site.filters import make_environment
from sitegen.site.routes import route_table
from sitegen.content.checks import validate
from tests.conftest import PROJECT
from tests.test_validate import PARTIES, SEAT, SITE

FIELDS = ["name", "electorate", "rejected", "declared_at", "hex", "q", "r", "previous", "winner", "mp",
          "shares", "candidates", "party", "votes", "description", "sources", "title", "url",
          "winner_by_lot", "lab", "con", "colour", "short"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**9),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
                    st.text(max_size=20), st.sampled_from(["lab", "con", "#E4003B", "2024-07-04", "https://x.org/"]))
keys = st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(keys, inner, max_size=5)), max_leaves=25)
ENV = make_environment(PROJECT / "templates")
ASSETS = collect_assets(PROJECT / "static")


def to_yaml(value: Any) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, Decimal):
            return float(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v
    return yaml.safe_dump(plain(value), allow_unicode=True)


def outcome(site_text: str, parties_text: str, seat_text: str) -> str:
    """Run load -> validate -> compute -> render; return 'site' or 'errors', never raise otherwise."""
    raw = RawContent()
    for attr, text, path in (("site", site_text, "content/site.yml"),
                             ("parties", parties_text, "content/parties.yml")):
        parsed, error = parse_yaml(text, path)
        setattr(raw, attr, parsed)
        if error:
            raw.errors.append(error)
    seat, error = parse_yaml(seat_text, "content/constituencies/seat.yml")
    raw.facts_files.add("seat")
    if seat:
        raw.constituencies["seat"] = seat
    if error:
        raw.errors.append(error)
    try:
        site = validate(raw)
    except ContentErrors as errors:
        assert errors.errors and all(e.path and e.message for e in errors.errors)
        return "errors"
    for route in route_table(compute_results(site), ENV, ASSETS, RenderMemo()).values():
        route.render()
    return "site"


def mutate(data: Any, path: list[int], new: Any) -> Any:
    """Replace the value reached by following `path` (indices into keys/items) with `new`."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return new
    if isinstance(data, dict):
        key = list(data)[path[0] % len(data)]
        data[key] = mutate(data[key], path[1:], new)
    else:
        i = path[0] % len(data)
        data[i] = mutate(data[i], path[1:], new)
    return data


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_as_a_seat_file(text: str) -> None:
    assert outcome(SITE, PARTIES, text) in ("site", "errors")


@SETTINGS
@given(values)
def test_any_yaml_structure_as_any_file(value: Any) -> None:
    text = to_yaml(value)
    assert outcome(SITE, PARTIES, text) in ("site", "errors")
    assert outcome(text, PARTIES, SEAT) == "errors" or isinstance(value, dict)
    assert outcome(SITE, text, SEAT) in ("site", "errors")


@SETTINGS
@given(st.lists(st.integers(0, 50), min_size=1, max_size=4), values)
def test_one_changed_value_in_a_valid_seat(path: list[int], new: Any) -> None:
    data = mutate(copy.deepcopy(yaml.safe_load(SEAT)), path, new)
    assert outcome(SITE, PARTIES, to_yaml(data)) in ("site", "errors")


def test_the_unchanged_seat_is_valid() -> None:
    assert outcome(SITE, PARTIES, SEAT) == "site"
