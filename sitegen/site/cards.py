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
import hashlib
import io
import unicodedata
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
    lost_deposit: bool = False


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
    label = f"{seat.label} (provisional)" if seat.is_declared and facts.provisional else seat.label
    head = (site_title, election, facts.name, seat.status, label)
    if not seat.is_declared:
        return SeatCard(*head, candidates=tuple(CardCandidate(c.name, parties[c.party].short, parties[c.party].colour)
                                                for c in seat.candidates))
    winner = seat.winner
    assert winner is not None and seat.majority is not None
    return SeatCard(*head, colour=parties[winner.party].colour, winner=winner.name, majority=seat.majority,
                    majority_pct=str(seat.majority_pct), turnout_pct=str(seat.turnout_pct),
                    bars=tuple(CardBar(c.name, parties[c.party].short, parties[c.party].colour, str(c.shown_share_pct),
                                       c.lost_deposit)
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


@functools.lru_cache(maxsize=1)
def drawing_version() -> str:
    """Return a hash of what decides a card's pixels and nothing else: this module, the fonts and
    Pillow's version (the cache's design_version also counts every installed library, which would
    give the same card another address on another machine)."""
    from PIL import __version__ as pillow
    digest = hashlib.sha256(pillow.encode("utf-8"))
    for path in (Path(__file__), REGULAR, BOLD):
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


def card_file(card: Any) -> str:
    """Return the file name a card is published under, named by what it shows and the code that
    draws it ('share-3f9a0c1d2e4b.png'): a card that changes gets a new address, so link previews,
    which keep an image by its address, fetch the new one; the same card, the same address."""
    digest = hashlib.sha256(f"{drawing_version()}\0{card!r}".encode("utf-8")).hexdigest()
    return f"share-{digest[:12]}.png"


class Cards:
    """Draws cards, remembering them in memory and (with `folder`) on disk by what they show."""

    def __init__(self, folder: Optional[Path] = None):
        self.folder = folder
        self._disk: Optional[DiskCache] = None
        self._memo: dict[tuple, bytes] = {}
        self._fonts: dict[tuple[Path, int], Any] = {}
        self._missing: dict[tuple[str, Path], str] = {}
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

    def missing(self, text: str, path: Path = REGULAR) -> str:
        """Return the characters of `text` the card cannot draw, in order, once each: those the
        font has no letter for (it would draw nothing), and right-to-left ones (drawn without a
        text shaper, they would come out in the wrong order)."""
        found = self._missing.get((text, path))
        if found is None:
            font = self.font(path, 40)
            nothing = font.getlength("\U0010fffd")  # a private character: what the font draws for one it lacks
            letters = []
            for char in dict.fromkeys(text):
                if char.isspace() or unicodedata.category(char) in ("Cf", "Mn", "Me"):
                    continue
                if unicodedata.bidirectional(char) in ("R", "AL"):
                    letters.append(char)
                    continue
                _, top, _, bottom = font.getbbox(char)
                if top == bottom and font.getlength(char) == nothing:
                    letters.append(char)
            found = self._missing[(text, path)] = "".join(letters)
        return found

    def left_out(self, data: Any) -> list[str]:
        """Return, in words, what a card leaves out (or cannot draw) because its fonts have no
        letters for it, for a warning naming the seat."""
        texts: list[tuple[str, str, bool]] = [("the site's title", data.site_title, False)]
        if isinstance(data, SeatCard):
            texts += [("the constituency's name", data.name, True), ("the result", data.label, True),
                      ("the winner's name", data.winner, False)]
            texts += [("a candidate's name", c.name, False) for c in data.candidates]
        else:
            texts += [("the headline", data.headline, True)]
        found = []
        for what, text, required in texts:
            missing = self.missing(text, BOLD if required else REGULAR)
            if text and missing:
                letters = ", ".join(repr(c) for c in missing[:3]) + (" and more" if len(missing) > 3 else "")
                found.append(f"{'cannot draw' if required else 'leaves out'} {what} {text!r} (its fonts have no "
                             f"letters for {letters})")
        return found

    def layout(self, data: Any) -> list["Placed"]:
        """Return where each text of a card lands, as it is drawn (without drawing it)."""
        board = Board(self, None)
        (_lay_out_seat if isinstance(data, SeatCard) else _lay_out_overview)(board, data)
        return board.placed


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


# --- layout: every text measured and fitted, then drawn ---------------------------------------------

class Placed(NamedTuple):
    """A text on a card: its role, what is drawn, what it stands for (the same, unless it was cut
    short with '…'), and the box its ink lands in."""

    role: str
    text: str
    full: str
    box: tuple[int, int, int, int]  # left, top, right, bottom


class Board:
    """What a card is laid out on: a Canvas to draw, or nothing (a layout report only). Every text
    placed is recorded, so that a test can see each one is whole and inside the card."""

    def __init__(self, cards: Cards, canvas: Optional[Canvas]):
        self.cards, self.canvas = cards, canvas
        self.placed: list[Placed] = []

    def text(self, role: str, xy: tuple[float, float], text: str, font: Any, colour: str,
             background: str = PAPER, full: Optional[str] = None) -> None:
        left, top, right, bottom = font.getbbox(text)
        x, y = round(xy[0]), round(xy[1])
        self.placed.append(Placed(role, text, text if full is None else full, (x + left, y + top, x + right, y + bottom)))
        if self.canvas is not None:
            self.canvas.text(xy, text, font, colour, background)

    def rect(self, box: tuple[float, float, float, float], colour: str) -> None:
        if self.canvas is not None:
            self.canvas.rect(box, colour)

    def shape(self, box: tuple[float, float, float, float], colour: str, background: str = PAPER,
              radius: float = 0, points: Optional[list[tuple[float, float]]] = None) -> None:
        if self.canvas is not None:
            self.canvas.shape(box, colour, background, radius, points)


def wrap(font: Any, text: str, width: float, lines: int) -> Optional[list[str]]:
    """Return `text` broken between words into at most `lines` lines within `width`, or None."""
    if any(font.getlength(word) > width for word in text.split()):
        return None
    rows = break_anywhere(font, text, width) or [""]
    return rows if len(rows) <= lines else None


def break_anywhere(font: Any, text: str, width: float) -> list[str]:
    """Return `text` in lines within `width`: between words where it can, inside a word where one
    is wider than the line (a 58-letter Welsh name), never cutting anything off."""
    rows: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if font.getlength(trial) <= width:
            current = trial
            continue
        if current:
            rows.append(current)
        while font.getlength(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            rows.append(word[:cut])
            word = word[cut:]
        current = word
    return rows + [current] if current else rows


def fitted(cards: Cards, text: str, path: Path, width: float, size: int, lines: int) -> tuple[Any, list[str], bool]:
    """Return the font at `size`, `text` in lines within `width`, and whether it took at most
    `lines` lines between words (else it is broken wherever it must be, and may take more)."""
    font = cards.font(path, size)
    rows = wrap(font, text, width, lines)
    return (font, rows, True) if rows is not None else (font, break_anywhere(font, text, width), False)


def _masthead(board: Board, site_title: str, election: str, stripe: str) -> None:
    """The stripe, the site's title and the election, smaller to fit, the title cut short (or left
    out, when its letters are not in the fonts) before the election is."""
    board.rect((0, 0, WIDTH, 14), stripe)
    cards, width = board.cards, WIDTH - 2 * MARGIN
    title = "" if cards.missing(site_title, BOLD) else site_title.upper()
    for size in (26, 24, 22, 20):
        bold, plain = cards.font(BOLD, size), cards.font(REGULAR, size)
        after = ("· " if title else "") + election
        if bold.getlength(title) + (16 if title else 0) + plain.getlength(after) <= width:
            break
    room = width - plain.getlength(after) - 16
    if title and room >= bold.getlength("MM…"):
        shown = _shorten(bold, title, room)
        board.text("masthead", (MARGIN, 44), shown, bold, NAVY, full=title)
        left = MARGIN + bold.getlength(shown) + 16
    else:
        left, after = MARGIN, election
    board.text("election", (left, 44), _shorten(plain, after, MARGIN + width - left), plain, MUTED, full=after)


def _block(board: Board, role: str, x: float, y: float, rows: list[str], font: Any, colour: str, full: str,
           background: str = PAPER, leading: float = 1.15) -> float:
    """Place lines of one text; return the y below them."""
    for row in rows:
        board.text(role, (x, y), row, font, colour, background, full=full)
        y += round(font.size * leading)
    return y


def _pill_height(font: Any, rows: list[str]) -> int:
    return font.size * len(rows) + round(font.size * 0.25) * (len(rows) - 1) + 24


def _pill(board: Board, x: float, y: float, font: Any, rows: list[str], fill: str, ink: str, full: str) -> float:
    """Draw a rounded label of one line or more; return its bottom."""
    width = max(font.getlength(row) for row in rows)
    height = _pill_height(font, rows)
    board.shape((x, y, x + width + 44, y + height), fill, radius=min(height, font.size + 24) / 2)
    _block(board, "result", x + 22, y + 12, rows, font, ink, full, background=fill, leading=1.25)
    return y + height


# The steps by which a seat's card makes room: its name first, then the result's label, then the
# lines under it, smaller; a step is taken only when the one before does not fit.
SEAT_STEPS = ((84, 2, 34, 32), (76, 2, 32, 30), (68, 2, 30, 28), (60, 2, 28, 28), (52, 3, 26, 26),
              (44, 3, 24, 24), (38, 3, 22, 22))
BAR_ROW = 50          # a share bar's row, at most
FOOT = HEIGHT - 36    # nothing below this


def _lay_out_seat(board: Board, data: SeatCard) -> None:
    cards, width = board.cards, WIDTH - 2 * MARGIN
    status = data.status
    colour = data.colour if status == "declared" else (RECOUNT if status == "recount" else AWAITED)
    _masthead(board, data.site_title, data.election, colour)
    for step, (name_size, name_lines, pill_size, line_size) in enumerate(SEAT_STEPS):
        last = step == len(SEAT_STEPS) - 1
        name_font, name_rows, whole = fitted(cards, data.name, BOLD, width, name_size, name_lines)
        pill_font, pill_rows, _ = fitted(cards, data.label, BOLD, width - 44, pill_size, 2)
        below = 96 + round(name_font.size * 1.15) * len(name_rows) + 14 + _pill_height(pill_font, pill_rows) + 26
        if status == "declared":
            lines = _result_lines(cards, data, line_size, width)
            needed = below + sum(round(font.size * 1.3) for font, _, _ in lines) + 10
            if (whole and (FOOT - needed) // _bar_row(line_size) >= min(4, len(data.bars))) or last:
                break
        else:
            needed = below + round(line_size * 1.3) + min(3, len(data.candidates)) * round(line_size * 1.6)
            if (whole and needed <= FOOT) or last:
                break
    y = _block(board, "name", MARGIN, 96, name_rows, name_font, INK, data.name) + 14
    if status == "declared":
        y = _pill(board, MARGIN, y, pill_font, pill_rows, colour, text_on(colour), data.label) + 26
        for font, text, (role, full) in lines:
            board.text(role, (MARGIN, y), text, font, INK, full=full)
            y += round(font.size * 1.3)
        _share_bars(board, data.bars, y + 10, line_size)
    else:
        fill, ink = (RECOUNT, RECOUNT_INK) if status == "recount" else ("#e4e7eb", INK)
        y = _pill(board, MARGIN, y, pill_font, pill_rows, fill, ink, data.label) + 26
        _standing(board, data.candidates, y, line_size)


def _result_lines(cards: Cards, data: SeatCard, size: int, width: float) -> list[tuple[Any, str, tuple[str, str]]]:
    """Return the lines under a declared result's label: who was elected (their name cut short if it
    must be, or left out when the fonts have no letters for it), then the majority and the turnout
    (never cut: on two lines when one will not do)."""
    font = cards.font(REGULAR, size)
    lines = []
    if data.winner and not cards.missing(data.winner):
        elected = f"{data.winner} elected"
        shown = elected if font.getlength(elected) <= width else \
            _shorten(font, data.winner, width - font.getlength(" elected")) + " elected"
        lines.append((font, shown, ("winner", elected)))
    majority = f"Majority {data.majority:,} ({data.majority_pct}%)"
    turnout = f"Turnout {data.turnout_pct}%"
    both = f"{majority} · {turnout}"
    if font.getlength(both) <= width:
        lines.append((font, both, ("figures", both)))
    else:
        lines += [(font, majority, ("figures", both)), (font, turnout, ("figures", both))]
    return lines


def _bar_row(size: int) -> int:
    """Return the height of a share bar's row under lines of `size`."""
    return min(BAR_ROW, max(20, size - 4) + 22)


def _share_bars(board: Board, bars: tuple, top: float, size: int) -> None:
    """Draw the leading candidates' shares as bars, the largest the full width: as many as there is
    room for, each party's short name cut short if it must be."""
    cards = board.cards
    font = cards.font(BOLD, max(20, size - 4))
    row = _bar_row(size)
    shown = bars[:max(0, int((FOOT - top) // row))]
    if not shown:
        return
    label_width = min(max(int(font.getlength(bar.short)) for bar in shown), 260) + 24
    track = WIDTH - 2 * MARGIN - label_width - font.getlength("100.0%") - 20
    largest = max(float(bar.share) for bar in shown) or 1.0
    for i, bar in enumerate(shown):
        y = top + i * row
        board.text("bar", (MARGIN, y + 4), _shorten(font, bar.short, label_width - 24), font, INK, full=bar.short)
        length = max(4, round(track * float(bar.share) / largest))
        board.rect((MARGIN + label_width, y + 6, MARGIN + label_width + length, y + 6 + font.size + 4), bar.colour)
        # (a lost deposit is said in words: a card has no room for a footnote)
        value = f"{bar.share}% · lost deposit" if bar.lost_deposit else f"{bar.share}%"
        board.text("bar", (MARGIN + label_width + length + 14, y + 4), value, font, INK)


def _standing(board: Board, candidates: tuple, y: float, size: int) -> None:
    """List who is standing, in two columns: six fit; with more, the sixth place says how many
    more. A name is cut short before its party; one the fonts cannot draw is left to its party."""
    cards = board.cards
    font = cards.font(REGULAR, size)
    standing = f"{len(candidates)} candidates standing" if len(candidates) != 1 else "1 candidate standing"
    board.text("standing", (MARGIN, y), standing, font, MUTED)
    y += round(size * 1.7)
    row = round(size * 1.6)
    slots = max(0, int((FOOT - y) // row)) * 2
    if not slots:
        return
    shown = candidates if len(candidates) <= min(6, slots) else candidates[:min(6, slots) - 1]
    half = (min(len(candidates), min(6, slots)) + 1) // 2
    for i, (name, short, party_colour) in enumerate(shown):
        x = MARGIN + (i // half) * 520
        top = y + (i % half) * row
        board.rect((x, top + 8, x + 20, top + 8 + size * 2 // 3), party_colour)
        party = f" ({short})"
        if cards.missing(name):
            text, full = f"{short} candidate", f"{short} candidate"
        else:
            text, full = _shorten(font, name, 480 - font.getlength(party)) + party, name + party
        board.text("candidate", (x + 34, top), text, font, INK, full=full)
    if len(candidates) > len(shown):
        board.text("candidate", (MARGIN + 520 + 34, y + (half - 1) * row), f"and {len(candidates) - len(shown)} more",
                   font, MUTED)


def _draw_seat(cards: Cards, data: SeatCard) -> bytes:
    canvas = Canvas(masks=cards.masks)
    _lay_out_seat(Board(cards, canvas), data)
    return canvas.png()


def _lay_out_overview(board: Board, data: OverviewCard) -> None:
    site_title, election, headline, declared, total, recounts, tally, shares, size, tiles = data
    cards = board.cards
    _masthead(board, site_title, election, ACCENT)
    map_box = 470 if tiles else 0
    text_width = WIDTH - 2 * MARGIN - map_box - (30 if tiles else 0)
    strip_top = HEIGHT - 74
    for head_size, lines in ((72, 2), (64, 2), (56, 2), (50, 3), (44, 3), (38, 4)):
        font, rows, whole = fitted(cards, headline, BOLD, text_width, head_size, lines)
        if whole:
            break
    y = _block(board, "headline", MARGIN, 100, rows, font, INK, headline) + 20
    row = cards.font(BOLD, 34)
    complete = declared == total
    # while seats are still to declare, only seats won so far: a change would count the undeclared
    # as lost
    for short, colour, seats, change in [t for t in tally if complete or t.seats][:4]:
        if y + 52 > strip_top - 10:
            break
        board.rect((MARGIN, y + 6, MARGIN + 28, y + 34), colour)
        changed = "" if change == 0 or not complete else f" ({'+' if change > 0 else '−'}{abs(change)})"
        text = f"{short} {seats} {'seat' if seats == 1 else 'seats'}{changed}"
        board.text("tally", (MARGIN + 44, y), _shorten(row, text, text_width - 44), row, INK, full=text)
        y += 52
    small = cards.font(REGULAR, 26)
    notes = []
    if shares:  # as many parties' shares as fit whole, never one cut through its figure
        parts = [f"{short} {share}%" for short, share in shares]
        whole = "Vote share: " + ", ".join(parts)
        fits = next((k for k in range(len(parts), 0, -1)
                     if small.getlength("Vote share: " + ", ".join(parts[:k])) <= text_width), 0)
        if fits:
            notes.append(("Vote share: " + ", ".join(parts[:fits]), whole))
    if recounts:  # (the headline says how many have declared)
        note = f"{recounts} recount{'s' if recounts != 1 else ''} under way"
        notes.append((note, note))
    for note, whole in notes:
        if y + 40 > strip_top - 4:
            break
        board.text("note", (MARGIN, y + 8), _shorten(small, note, text_width), small, MUTED, full=whole)
        y += 40
    _seat_strip(board, tally, total, recounts, strip_top, MARGIN, MARGIN + text_width)
    if tiles:
        _hex_map(board, size, tiles, (WIDTH - MARGIN - map_box, 96, WIDTH - MARGIN, HEIGHT - 40))


def _draw_overview(cards: Cards, data: OverviewCard) -> bytes:
    canvas = Canvas(masks=cards.masks)
    _lay_out_overview(Board(cards, canvas), data)
    return canvas.png()


def _seat_strip(canvas: Board, tally: tuple, total: int, recounts: int, y: int, left: int, right: int) -> None:
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


def _hex_map(canvas: Board, size: tuple, tiles: tuple, box: tuple[int, int, int, int]) -> None:
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
