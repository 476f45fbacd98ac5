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
from sitegen.site.cards import Cards
from sitegen.site.markdown import Blurbs
from sitegen.site.pages import Renderer
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


FILES = ("content/site.yml", "content/parties.yml", "content/constituencies/seat.yml")


def outcome(site_text: str, parties_text: str, seat_text: str) -> tuple[str, list]:
    """Run read -> check -> compute -> route -> render as the build does; return ('site', the
    rendered files) or ('errors', the messages). Anything else escaping is a failure."""
    raw = RawContent()
    for attr, text, path in (("site", site_text, FILES[0]), ("parties", parties_text, FILES[1])):
        parsed, error = parse_yaml(text, path)
        setattr(raw, attr, parsed)
        if error:
            raw.errors.append(error)
    seat, error = parse_yaml(seat_text, FILES[2])
    raw.facts_files.add("seat")
    if seat:
        raw.constituencies["seat"] = seat
    if error:
        raw.errors.append(error)
    try:
        content = validate(raw)
    except ContentErrors as errors:
        return "errors", errors.errors
    routes = route_table(compute_results(content), {name: a.output for name, a in ASSETS.items()})
    renderer = Renderer(ENV, ASSETS, Blurbs(), Cards())
    return "site", [(path, route.render(renderer, path, route.context)) for path, route in routes.items()]


def assert_sound(result: tuple[str, list]) -> None:
    """An outcome is sound when errors name one of the files read, with a line when the file could
    be parsed, and a site renders every output to something, the seat's page naming the seat."""
    kind, items = result
    if kind == "errors":
        assert items
        for error in items:
            assert error.path in FILES and error.message and "Traceback" not in error.message, error
            assert " object at 0x" not in error.message and not error.message.startswith("None"), error
        return
    files = dict(items)
    assert all(body for body in files.values())
    assert files["seat/index.html"].count("<h1>") == 1 and "</html>" in files["seat/index.html"]


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
    assert_sound(outcome(SITE, PARTIES, text))


@SETTINGS
@given(values)
def test_any_yaml_structure_as_any_file(value: Any) -> None:
    text = to_yaml(value)
    assert_sound(outcome(SITE, PARTIES, text))
    kind, items = outcome(text, PARTIES, SEAT)
    assert_sound((kind, items))
    if not isinstance(value, dict):  # site.yml must be a block of fields: said at its first line
        assert kind == "errors" and any(e.path == FILES[0] and e.line == 1 for e in items)
    assert_sound(outcome(SITE, text, SEAT))


@SETTINGS
@given(st.lists(st.integers(0, 50), min_size=1, max_size=4), values)
def test_one_changed_value_in_a_valid_seat(path: list[int], new: Any) -> None:
    data = mutate(copy.deepcopy(yaml.safe_load(SEAT)), path, new)
    assert_sound(outcome(SITE, PARTIES, to_yaml(data)))


def test_the_unchanged_seat_is_valid() -> None:
    kind, files = outcome(SITE, PARTIES, SEAT)
    assert kind == "site" and "Seat" in dict(files)["seat/index.html"]
