"""Rendering helpers: formatting filters, relative links, sanitised Markdown, text on party colours."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sitegen.engine import Site
from sitegen.site.markdown import Blurbs

markdown_to_html = Blurbs()  # the converter pages use, without a disk cache
from sitegen.site.pages import relative_url
from sitegen.site.filters import format_day, format_number, format_pct, format_signed, text_colour_on
from tests.conftest import parse


def contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        def ch(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b_ = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b_)
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_number_formats() -> None:
    assert format_number(15746) == "15,746"
    assert format_pct(Decimal("8.4")) == "8.4%"
    assert format_signed(Decimal("10.2")) == "+10.2"
    assert format_signed(Decimal("-38.6")) == "\u221238.6"
    assert format_signed(Decimal("0.0")) == "0.0"
    assert format_signed(-9) == "\u22129" and format_signed(9) == "+9"
    from datetime import date
    assert format_day(date(2024, 7, 4)) == "4 July 2024"


@pytest.mark.parametrize("target, page, expected", [
    ("", "index.html", "./"),
    ("", "amber-valley/index.html", "../"),
    ("bolsover/", "amber-valley/index.html", "../bolsover/"),
    ("amber-valley/", "amber-valley/index.html", "./"),
    ("bolsover/", "index.html", "bolsover/"),
    ("assets/style.abc.css", "amber-valley/index.html", "../assets/style.abc.css"),
    ("results.csv", "index.html", "results.csv"),
    ("index.html", "amber-valley/index.html", "../index.html"),
    ("a/b/", "a/c/index.html", "../b/"),
    ("a/b/x.css", "a/index.html", "b/x.css"),
])
def test_relative_url(target: str, page: str, expected: str) -> None:
    assert relative_url(target, page) == expected


@pytest.mark.parametrize("colour", ["#E4003B", "#0087DC", "#12B6CF", "#FAA61A", "#02A95B", "#9E1B32",
                                    "#6B4C9A", "#8C8C8C", "#4F6D8F", "#7A5C3E", "#B8002E", "#000000", "#FFFFFF"])
def test_text_on_party_colours_meets_aa(colour: str) -> None:
    text = text_colour_on(colour)
    assert contrast(text, colour) >= 4.5, (text, colour, contrast(text, colour))
    assert contrast(text, colour) >= contrast("#ffffff" if text == "#000000" else "#000000", colour)


def test_markdown_is_sanitised_and_links_get_noopener() -> None:
    md = Blurbs()
    html = md('Hi <script>x()</script> **bold** [a](https://e.org) [b](javascript:x()) '
              '<img src=x onerror=y()> <iframe src="https://e.org"></iframe>\n\n## Head')
    page = parse(str(html))
    assert page.find("script") is None and page.find("iframe") is None and page.find("img") is None
    assert page.find("strong").get_text() == "bold"
    links = page.find_all("a")
    assert links[0]["href"] == "https://e.org" and "noopener" in links[0]["rel"]
    assert not links[1].get("href", "").startswith("javascript")
    assert page.find("h2").get_text() == "Head"
    assert md(None) == "" and md("") == ""


def test_one_converter_renders_blurbs_independently() -> None:
    md = Blurbs()
    first = md("[x]: https://a.org\n\nSee [x].")
    second = md("See [x].")  # the reference from the first blurb must not leak
    assert 'href="https://a.org"' in first and "href" not in second


def test_pages_have_titles_descriptions_and_canonicals(small_build: Site) -> None:
    for name in ("index.html", "amber-valley/index.html", "chesterfield/index.html"):
        page = parse(small_build.files[name])
        assert page.find("html")["lang"] == "en-GB"
        assert page.find("title").get_text().endswith("– Test results 2024")
        assert page.find("meta", attrs={"name": "description"})["content"]
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical == "https://example.org/test/" + name.replace("index.html", "")
        assert [l.get("id") for l in page.find_all("main")] == ["main"]


def test_markdown_typography_tables_and_cleaning() -> None:
    assert markdown_to_html("Labour's \"big\" night -- 5--6 July --- late...") == \
        "<p>Labour\u2019s \u201cbig\u201d night \u2013 5\u20136 July \u2014 late\u2026</p>"
    assert "<code>don't \"x\"</code>" in markdown_to_html("a `don't \"x\"`").replace("&quot;", '"')
    table = markdown_to_html("| Party | Seats |\n|---|---|\n| Lab | 11 |\n")
    assert "<th>Party</th>" in table and "<td>11</td>" in table
    assert markdown_to_html("<abbr title=\"Member of Parliament\">MP</abbr> <script>x()</script>") == \
        '<p><abbr title="Member of Parliament">MP</abbr> </p>'
    assert 'rel="noopener noreferrer"' in markdown_to_html("[notice](https://example.org/)")




def test_converted_blurbs_are_cached_on_disk_by_their_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Blurbs(tmp_path)
    assert first("**Labour** gain") == "<p><strong>Labour</strong> gain</p>"
    assert len(list(tmp_path.rglob("*.html"))) == 1

    def refuse(self: Blurbs, text: str) -> str:
        raise AssertionError(f"converted again: {text!r}")
    monkeypatch.setattr(Blurbs, "convert", refuse)
    assert Blurbs(tmp_path)("**Labour** gain") == "<p><strong>Labour</strong> gain</p>"  # read back
    with pytest.raises(AssertionError, match="converted again: 'Labour hold'"):
        Blurbs(tmp_path)("Labour hold")  # new text is converted


def test_a_damaged_or_unwritable_blurb_cache_only_means_converting_again(tmp_path: Path) -> None:
    Blurbs(tmp_path)("*x*")
    (cached,) = tmp_path.rglob("*.html")
    cached.write_bytes(b"\xff\xfe")  # not UTF-8
    assert Blurbs(tmp_path)("*x*") == "<p><em>x</em></p>"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert Blurbs(blocked)("*y*") == "<p><em>y</em></p>"


@pytest.mark.parametrize("text, html", [
    ("'90s, O'Neill's 'yes'", "<p>\u201990s, O\u2019Neill\u2019s \u2018yes\u2019</p>"),
    ('"**bold**" and *\'it\'*', "<p>\u201c<strong>bold</strong>\u201d and <em>\u2018it\u2019</em></p>"),
    ('"[a link](https://e.org/)"', '<p>\u201c<a href="https://e.org/" rel="noopener noreferrer">a link</a>\u201d</p>'),
    ('("x") ["y"] -- "z"', "<p>(\u201cx\u201d) [\u201cy\u201d] \u2013 \u201cz\u201d</p>"),
    ('\\"straight\\" and \\\'straight\\\'', "<p>\"straight\" and 'straight'</p>"),
    ('`--"code"...` stays', "<p><code>--\"code\"...</code> stays</p>"),
    ('- "one"\n- \'two\'...', "<ul>\n<li>\u201cone\u201d</li>\n<li>\u2018two\u2019\u2026</li>\n</ul>"),
])
def test_typography_judges_each_quote_by_the_character_before_it(text: str, html: str) -> None:
    assert markdown_to_html(text).replace("&quot;", '"') == html
