"""Share images: a 1200 x 630 PNG card per seat and for the overview, drawn with Pillow from the
computed figures, for link previews (og:image), plus the site's touch icon and favicon.

Every card is drawn from a small record of plain values (`SeatCard`, `OverviewCard`): the route's
context, and the key of the disk cache, so that an unchanged card is never drawn twice. The fonts
are the repository's own (sitegen/site/fonts/, DejaVu Sans cut down to the European scripts), laid
out with Pillow's basic layout, never a system font or an optional text shaper, so that every
machine with the pinned Pillow draws the same pixels, and a rebuild gives the same bytes.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any, NamedTuple, Optional

from sitegen.buildcache import DiskCache, code_version
from sitegen.results import SeatResult

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
INK, MUTED, PAPER, LINE = "#16191d", "#555d68", "#ffffff", "#d5d9df"
AWAITED, RECOUNT, RECOUNT_INK = "#b7bdc6", "#f2c230", "#5c4700"
AWAITED_TILE = "#d5d9df"  # a seat still to declare on the overview's map and strip
NAVY, ACCENT = "#14213d", "#e4003b"
OTHERS = "#8a9099"   # the long tail of small parties, grouped
STRIP_PARTIES = 6    # parties shown in their own colour on the overview card's strip of seats
MARGIN = 80


# --- what a card shows: plain values, compared and hashed -------------------------------------------

class CardBar(NamedTuple):
    """A candidate's bar on a seat's card."""

    name: str
    short: str
    colour: str
    share: str


class CardCandidate(NamedTuple):
    """A candidate listed on an awaited seat's card."""

    name: str
    short: str
    colour: str


class SeatCard(NamedTuple):
    """Everything a seat's card shows."""

    site_title: str
    election: str
    name: str
    status: str
    label: str
    candidates: tuple[CardCandidate, ...] = ()  # awaited or in a recount: who is standing
    colour: str = ""                            # declared: the winner's party colour, and the rest
    winner: str = ""
    majority: int = 0
    majority_pct: str = ""
    turnout_pct: str = ""
    bars: tuple[CardBar, ...] = ()


class TallyEntry(NamedTuple):
    """A party's seats on the overview's card."""

    short: str
    colour: str
    seats: int
    change: int


class OverviewCard(NamedTuple):
    """Everything the overview's card shows: the headline, the tally and the map's tiles."""

    site_title: str
    election: str
    headline: str
    declared: int
    total: int
    recounts: int
    tally: tuple[TallyEntry, ...]
    shares: tuple[tuple[str, str], ...]       # (short name, share) of the leading parties
    size: Optional[tuple[str, str]]           # the map's width and height
    tiles: tuple[tuple[str, str], ...]        # (points, fill: a colour, 'recount' or 'awaited')


def seat_card(seat: SeatResult, parties: dict, site_title: str, election: str) -> SeatCard:
    """Return everything a seat's card shows."""
    facts = seat.seat.facts
    head = (site_title, election, facts.name, seat.status, seat.label)
    if not seat.is_declared:
        return SeatCard(*head, candidates=tuple(CardCandidate(c.name, parties[c.party].short, parties[c.party].colour)
                                                for c in seat.candidates))
    winner = seat.winner
    assert winner is not None and seat.majority is not None
    return SeatCard(*head, colour=parties[winner.party].colour, winner=winner.name, majority=seat.majority,
                    majority_pct=str(seat.majority_pct), turnout_pct=str(seat.turnout_pct),
                    bars=tuple(CardBar(c.name, parties[c.party].short, parties[c.party].colour, str(c.share_pct))
                               for c in seat.candidates[:4]))


def overview_card(night: Any, county: Any, parties: dict, site_title: str, election: str) -> OverviewCard:
    """Return everything the overview's card shows."""
    from sitegen.site.charts import hex_map
    tally = tuple(TallyEntry(parties[t.party].short, parties[t.party].colour, t.after, t.change)
                  for t in night.tally if t.after or t.before)
    shares = tuple((parties[p.party].short, str(p.share_pct)) for p in county.parties[:3])
    hexes = hex_map(night.seats)
    tiles: tuple = ()
    if hexes is not None:
        tiles = tuple((t.points, parties[t.seat.winner.party].colour if t.seat.winner else t.seat.status)
                      for t in hexes.tiles)
    size = (hexes.width, hexes.height) if hexes is not None else None
    from sitegen.site.pages import headline
    return OverviewCard(site_title, election, headline(night, parties), night.declared, night.total,
                        len(night.recounts), tally, shares, size, tiles)


# --- drawing ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def design_version() -> str:
    """Return the version of everything that decides a card's pixels: this module, the fonts and
    Pillow (a change to any draws every card again)."""
    return code_version(Path(__file__), REGULAR, BOLD)


class Cards:
    """Draws cards, remembering them in memory and (with `folder`) on disk by what they show."""

    def __init__(self, folder: Optional[Path] = None):
        self.folder = folder
        self._disk: Optional[DiskCache] = None
        self._memo: dict[tuple, bytes] = {}
        self._fonts: dict[tuple[Path, int], Any] = {}
        self.masks: dict[tuple, Any] = {}  # short texts' drawn shapes, shared by the cards

    @property
    def disk(self) -> DiskCache:
        if self._disk is None:
            self._disk = DiskCache(self.folder, design_version(), ".png")
        return self._disk

    def seat(self, data: SeatCard) -> bytes:
        """Return a seat's card as PNG bytes."""
        return self._cached(("seat", data), _draw_seat)

    def overview(self, data: OverviewCard) -> bytes:
        """Return the overview's card as PNG bytes."""
        return self._cached(("overview", data), _draw_overview)

    @staticmethod
    def key(kind: str, data: tuple) -> str:
        """Return the disk cache's key for a card."""
        return f"{kind}\0{data!r}"

    @classmethod
    def key_of(cls, data: Any) -> Optional[str]:
        """Return the disk cache's key for a card's context, or None for what is not a card."""
        kind = "seat" if isinstance(data, SeatCard) else "overview" if isinstance(data, OverviewCard) else None
        return cls.key(kind, data) if kind else None

    def _cached(self, key: tuple, draw: Any) -> bytes:
        png = self._memo.get(key)
        if png is not None:
            return png
        disk_key = self.key(*key)
        png = self.disk.get(disk_key)
        if png is None:
            png = draw(self, key[1])
            self.disk.put(disk_key, png)
        self._memo[key] = png
        return png

    def font(self, path: Path, size: int) -> Any:
        """Return a font at `size` px, laid out without an optional shaper (same pixels everywhere)."""
        from PIL import ImageFont
        font = self._fonts.get((path, size))
        if font is None:
            font = self._fonts[(path, size)] = ImageFont.truetype(
                str(path), size, layout_engine=ImageFont.Layout.BASIC)
        return font

    def fit(self, text: str, path: Path, width: int, sizes: tuple[int, ...]) -> tuple[Any, list[str]]:
        """Return the largest font of `sizes` at which `text` fits `width` in one line, else in two
        lines at the smallest size (the second cut short with an ellipsis if it must be)."""
        for size in sizes:
            font = self.font(path, size)
            if font.getlength(text) <= width:
                return font, [text]
        font = self.font(path, sizes[-1])
        words, first = text.split(), ""
        while words and font.getlength((first + " " + words[0]).strip()) <= width:
            first = (first + " " + words.pop(0)).strip()
        rest = " ".join(words)
        if not first:  # one word longer than the line
            first, rest = _shorten(font, text, width), ""
        return font, [first] + ([_shorten(font, rest, width)] if rest else [])


def _shorten(font: Any, text: str, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def text_on(fill: str) -> str:
    """Return black or white, whichever contrasts more with `fill` (as the pages do)."""
    from sitegen.site.filters import text_colour_on
    return text_colour_on(fill)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


RAMP = 16  # shades from a background to a colour drawn over it: the anti-aliased edge
MAX_PALETTE = 256  # entries a PNG palette holds
COVERED = [0] * 8 + [255] * 248  # where a mask paints at all
PLAIN_PALETTE = bytes(v for i in range(256) for v in (i, i, i))
SHORT_TEXT = 32  # texts up to this long keep their drawn shape for the next card


class Canvas:
    """A card drawn straight into a palette image: flat areas take one palette entry each, and text
    and shapes are anti-aliased over a known background through a ramp of 16 shades from that
    background to their colour. Every colour on the card is therefore exact, and no quantizer (a
    third of the time of a full-colour card, and shifts colours) is needed before writing it."""

    def __init__(self, width: int = WIDTH, height: int = HEIGHT, paper: str = PAPER,
                 masks: Optional[dict] = None):
        from PIL import Image, ImageDraw
        self.masks = masks if masks is not None else {}  # short texts already drawn, by text and font
        self._Image, self._ImageDraw = Image, ImageDraw
        self.palette: list[tuple[int, int, int]] = [_rgb(paper)]
        self._index: dict[tuple, int] = {("flat", paper): 0}
        self._luts: dict[tuple, list[int]] = {}
        self.image = Image.new("P", (width, height), 0)
        self.draw = ImageDraw.Draw(self.image)

    def flat(self, colour: str) -> int:
        """Return the palette index of a flat colour (the nearest one already used, on the rare card
        with more colours than a palette holds: a national map of many winning parties)."""
        key = ("flat", colour)
        if key not in self._index:
            if len(self.palette) >= MAX_PALETTE:
                return self._nearest(colour)
            self._index[key] = len(self.palette)
            self.palette.append(_rgb(colour))
        return self._index[key]

    def _nearest(self, colour: str) -> int:
        r, g, b = _rgb(colour)
        return min(range(len(self.palette)),
                   key=lambda i: (self.palette[i][0] - r) ** 2 + (self.palette[i][1] - g) ** 2 + (self.palette[i][2] - b) ** 2)

    def _ramp(self, colour: str, background: str) -> list[int]:
        """Return the palette indexes of the shades from `background` (level 0) to `colour`; when
        the palette has no room for the shades, the colour itself (its edges are then not smoothed)."""
        key = ("ramp", colour, background)
        if key not in self._index and len(self.palette) + RAMP + 2 > MAX_PALETTE:
            return [self.flat(background)] + [self.flat(colour)] * RAMP
        if key not in self._index:
            self._index[key] = len(self.palette)
            (r0, g0, b0), (r1, g1, b1) = _rgb(background), _rgb(colour)
            for level in range(1, RAMP + 1):
                t = level / RAMP
                self.palette.append((round(r0 + (r1 - r0) * t), round(g0 + (g1 - g0) * t), round(b0 + (b1 - b0) * t)))
        start = self._index[key]
        return [self.flat(background)] + list(range(start, start + RAMP))

    def _coverage(self, mask: Any, origin: tuple[int, int], colour: str, background: str) -> None:
        """Paint `colour` over `background` where the greyscale `mask` covers, in proportion."""
        key = ("lut", colour, background)
        lut = self._luts.get(key)
        if lut is None:
            ramp = self._ramp(colour, background)
            lut = self._luts[key] = [ramp[(v * RAMP + 127) // 255] for v in range(256)]
        # Image.point rounds every entry of a table in Python on each call (a fifth of a card's time);
        # these tables are whole numbers already, so they go to Pillow's own point directly
        # (Pillow is pinned, see pyproject.toml).
        shades = mask._new(mask.im.point(lut, None))
        shades.putpalette(PLAIN_PALETTE)  # an "L" image becomes "P", its values the palette indexes
        self.image.paste(shades, origin, mask._new(mask.im.point(COVERED, "1")))

    def rect(self, box: tuple[float, float, float, float], colour: str) -> None:
        """Fill a rectangle (square corners need no smoothing)."""
        self.draw.rectangle(tuple(round(v) for v in box), fill=self.flat(colour))

    def shape(self, box: tuple[float, float, float, float], colour: str, background: str = PAPER,
              radius: float = 0, points: Optional[list[tuple[float, float]]] = None) -> None:
        """Fill a rounded rectangle (`box`, `radius`) or a polygon (`points`, within `box`), with
        smooth edges: drawn at four times the size and scaled down to coverage."""
        left, top = int(box[0]) - 1, int(box[1]) - 1
        width, height = int(box[2]) - left + 2, int(box[3]) - top + 2
        big = self._Image.new("L", (width * 4, height * 4), 0)
        pen = self._ImageDraw.Draw(big)
        if points is None:
            pen.rounded_rectangle(((box[0] - left) * 4, (box[1] - top) * 4, (box[2] - left) * 4 - 1,
                                   (box[3] - top) * 4 - 1), radius=radius * 4, fill=255)
        else:
            pen.polygon([((x - left) * 4, (y - top) * 4) for x, y in points], fill=255)
        self._coverage(big.reduce(4), (left, top), colour, background)

    def text(self, xy: tuple[float, float], text: str, font: Any, colour: str, background: str = PAPER) -> None:
        """Draw anti-aliased text over a background of one colour."""
        key = (text, font.path, font.size)
        found = self.masks.get(key)
        if found is None:
            left, top, right, bottom = font.getbbox(text)
            if right <= left or bottom <= top:
                return
            mask = self._Image.new("L", (right - left, bottom - top), 0)
            self._ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255)
            found = (mask, left, top)
            if len(text) <= SHORT_TEXT:  # party names, shares, the masthead: drawn again on most cards
                self.masks[key] = found
        mask, left, top = found
        self._coverage(mask, (round(xy[0]) + left, round(xy[1]) + top), colour, background)

    def png(self) -> bytes:
        """Return the card as PNG bytes."""
        self.image.putpalette([channel for entry in self.palette for channel in entry])
        buffer = io.BytesIO()
        self.image.save(buffer, "PNG", compress_level=3)  # level 6 takes twice as long for 20% less
        return buffer.getvalue()


def _pill(cards: Cards, canvas: Canvas, x: int, y: int, text: str, fill: str, ink: str, size: int = 34) -> int:
    """Draw a rounded label; return its right edge."""
    font = cards.font(BOLD, size)
    width = int(font.getlength(text))
    height = size + 24
    canvas.shape((x, y, x + width + 44, y + height), fill, radius=height / 2)
    canvas.text((x + 22, y + 12), text, font, ink, background=fill)
    return x + width + 44


def _masthead(cards: Cards, canvas: Canvas, site_title: str, election: str, stripe: str) -> None:
    canvas.rect((0, 0, WIDTH, 14), stripe)
    font = cards.font(BOLD, 26)
    canvas.text((MARGIN, 44), site_title.upper(), font, NAVY)
    left = MARGIN + font.getlength(site_title.upper()) + 16
    canvas.text((left, 44), "· " + election, cards.font(REGULAR, 26), MUTED)


def _draw_seat(cards: Cards, data: SeatCard) -> bytes:
    status, label = data.status, data.label
    canvas = Canvas(masks=cards.masks)
    colour = data.colour if status == "declared" else (RECOUNT if status == "recount" else AWAITED)
    _masthead(cards, canvas, data.site_title, data.election, colour)
    font, lines = cards.fit(data.name, BOLD, WIDTH - 2 * MARGIN, (84, 76, 68, 60))
    y = 96
    for line in lines:
        canvas.text((MARGIN, y), line, font, INK)
        y += int(font.size * 1.15)
    y += 14
    if status == "declared":
        _pill(cards, canvas, MARGIN, y, label, colour, text_on(colour))
        y += 94
        line = (f"{data.winner} elected · majority {data.majority:,} ({data.majority_pct}%) · "
                f"turnout {data.turnout_pct}%")
        small, shown = cards.fit(line, REGULAR, WIDTH - 2 * MARGIN, (32, 28, 26))
        canvas.text((MARGIN, y), shown[0], small, INK)
        _share_bars(cards, canvas, data.bars, y + 62)
    else:
        fill, ink = (RECOUNT, RECOUNT_INK) if status == "recount" else ("#e4e7eb", INK)
        _pill(cards, canvas, MARGIN, y, label, fill, ink)
        y += 94
        names = data.candidates
        standing = f"{len(names)} candidates standing" if len(names) != 1 else "1 candidate standing"
        canvas.text((MARGIN, y), standing, cards.font(REGULAR, 30), MUTED)
        y += 56
        # six fit; with more, the sixth place says how many more there are
        shown = names if len(names) <= 6 else names[:5]
        half = (min(len(names), 6) + 1) // 2
        for i, (candidate, short, party_colour) in enumerate(shown):
            x = MARGIN + (i // half) * 520
            row = y + (i % half) * 50
            canvas.rect((x, row + 8, x + 20, row + 28), party_colour)
            text = _shorten(cards.font(REGULAR, 30), f"{candidate} ({short})", 480)
            canvas.text((x + 34, row), text, cards.font(REGULAR, 30), INK)
        if len(names) > 6:
            canvas.text((MARGIN + 520 + 34, y + 2 * 50), f"and {len(names) - 5} more", cards.font(REGULAR, 30), MUTED)
    return canvas.png()


def _share_bars(cards: Cards, canvas: Canvas, bars: tuple, top: int) -> None:
    """Draw the leading candidates' shares as bars, the largest the full width."""
    font = cards.font(BOLD, 28)
    label_width = max(int(font.getlength(short)) for _, short, _, _ in bars) + 24
    track = WIDTH - 2 * MARGIN - label_width - 110
    largest = max(float(share) for *_, share in bars) or 1.0
    row_height = min(58, (HEIGHT - 40 - top) // max(len(bars), 1))
    for i, (_, short, colour, share) in enumerate(bars):
        y = top + i * row_height
        canvas.text((MARGIN, y + 4), short, font, INK)
        length = max(4, round(track * float(share) / largest))
        canvas.rect((MARGIN + label_width, y + 6, MARGIN + label_width + length, y + 38), colour)
        canvas.text((MARGIN + label_width + length + 14, y + 4), f"{share}%", font, INK)


def _draw_overview(cards: Cards, data: OverviewCard) -> bytes:
    site_title, election, headline, declared, total, recounts, tally, shares, size, tiles = data
    canvas = Canvas(masks=cards.masks)
    _masthead(cards, canvas, site_title, election, ACCENT)
    map_box = 470 if tiles else 0
    text_width = WIDTH - 2 * MARGIN - map_box - (30 if tiles else 0)
    font, lines = cards.fit(headline, BOLD, text_width, (72, 64, 56, 50))
    y = 100
    for line in lines:
        canvas.text((MARGIN, y), line, font, INK)
        y += int(font.size * 1.15)
    y += 20
    row = cards.font(BOLD, 34)
    complete = declared == total
    # while seats are still to declare, only seats won so far: a change would count the undeclared
    # as lost
    for short, colour, seats, change in [t for t in tally if complete or t.seats][:4]:
        canvas.rect((MARGIN, y + 6, MARGIN + 28, y + 34), colour)
        changed = "" if change == 0 or not complete else f" ({'+' if change > 0 else '−'}{abs(change)})"
        canvas.text((MARGIN + 44, y), f"{short} {seats} {'seat' if seats == 1 else 'seats'}{changed}", row, INK)
        y += 52
    notes = []
    if shares:
        notes.append("Vote share: " + ", ".join(f"{short} {share}%" for short, share in shares))
    if recounts:  # (the headline says how many have declared)
        notes.append(f"{recounts} recount{'s' if recounts != 1 else ''} under way")
    for note in notes:
        small, shown = cards.fit(note, REGULAR, text_width, (30, 26))
        for line in shown:
            canvas.text((MARGIN, y + 8), line, small, MUTED)
            y += 40
    _seat_strip(canvas, tally, total, recounts, HEIGHT - 74, MARGIN, MARGIN + text_width)
    if tiles:
        _hex_map(canvas, size, tiles, (WIDTH - MARGIN - map_box, 96, WIDTH - MARGIN, HEIGHT - 40))
    return canvas.png()


def _seat_strip(canvas: Canvas, tally: tuple, total: int, recounts: int, y: int, left: int, right: int) -> None:
    """Draw every seat as one block of the strip, coloured by its winner, then the recounts and the
    seats still awaited (as on the map)."""
    gap = 4
    # the six parties with most seats in their colours; the long tail together, as Others
    colours = [colour if i < STRIP_PARTIES else OTHERS for i, (_, colour, seats, _) in enumerate(t for t in tally if t.seats)
               for _ in range(seats)]
    colours += [RECOUNT] * recounts
    colours += [AWAITED_TILE] * (total - len(colours))
    width = (right - left - gap * (total - 1)) / max(total, 1)
    if width < 2:  # too many seats for blocks: one run per colour instead
        x, step = float(left), (right - left) / max(total, 1)
        for colour in dict.fromkeys(colours):
            count = colours.count(colour)
            canvas.rect((x, y, x + step * count, y + 34), colour)
            x += step * count
        return
    for i, colour in enumerate(colours):
        x = left + i * (width + gap)
        canvas.rect((x, y, x + width, y + 34), colour)


def _hex_map(canvas: Canvas, size: tuple, tiles: tuple, box: tuple[int, int, int, int]) -> None:
    """Draw the map's hexagons (their SVG points) scaled into `box`, a little apart."""
    width, height = float(size[0]), float(size[1])
    left, top, right, bottom = box
    scale = min((right - left) / width, (bottom - top) / height)
    dx = left + ((right - left) - width * scale) / 2
    dy = top + ((bottom - top) - height * scale) / 2
    for points, fill in tiles:
        corners = [(dx + float(x) * scale, dy + float(y) * scale)
                   for x, y in (pair.split(",") for pair in points.split())]
        cx = sum(x for x, _ in corners) / len(corners)
        cy = sum(y for _, y in corners) / len(corners)
        inset = [(cx + (x - cx) * 0.94, cy + (y - cy) * 0.94) for x, y in corners]  # the gap between tiles
        colour = RECOUNT if fill == "recount" else AWAITED_TILE if fill == "awaited" else fill
        xs, ys = [x for x, _ in inset], [y for _, y in inset]
        canvas.shape((min(xs), min(ys), max(xs), max(ys)), colour, points=inset)


# --- icons --------------------------------------------------------------------------------------
# The favicon's design (static/favicon.svg, a 32-unit square): three bars on navy.
ICON_BARS = ((6, 17, 11, 26, PAPER), (13.5, 8, 18.5, 26, ACCENT), (21, 13, 26, 26, "#8cc4ff"))


def _icon(size: int, rounded: bool) -> Any:
    from PIL import Image, ImageDraw
    scale = size / 32
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if rounded else NAVY)
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(6 * scale), fill=NAVY)
    for x0, y0, x1, y1, colour in ICON_BARS:
        draw.rounded_rectangle((round(x0 * scale), round(y0 * scale), round(x1 * scale) - 1, round(y1 * scale) - 1),
                               radius=max(1, round(scale)), fill=colour)
    return image


@functools.lru_cache(maxsize=1)
def touch_icon() -> bytes:
    """Return the 180 x 180 icon phones show for a saved link (square: the phone rounds it)."""
    buffer = io.BytesIO()
    _icon(180, rounded=False).convert("RGB").save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def favicon_ico() -> bytes:
    """Return favicon.ico (16, 32 and 48 px), for the browsers and tools that ask for it by name."""
    buffer = io.BytesIO()
    _icon(64, rounded=True).save(buffer, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()
