"""Read content/: YAML facts and Markdown blurbs, with the line and column of every value."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from stat import S_ISLNK
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, Optional

import yaml

from sitegen.config import MAX_BLURB_CHARACTERS, MAX_CONTENT_BYTES, RESERVED_SLUGS, SLUG_RE, Paths, slugify
from sitegen.content import places
from sitegen.content.places import RawPlaces
from sitegen.errors import ContentError
from sitegen.files import BACKUP, EDITOR_WORK, is_source_name, read_file

# libyaml's composer is several times faster; the constructors stay in Python either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple  # a path into the data, e.g. ("candidates", 2, "party")


@dataclass
class Marks:
    """Line and column (1-based) of each value and each mapping key, by path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def find(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Return the position of `loc`, or of its nearest enclosing value."""
        if key and loc in self.keys:
            return self.keys[loc]
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.values:
                return self.values[loc[:n]]
        return (1, 1)


@dataclass
class YamlFile:
    """One parsed YAML file: its data, and where each value was written.

    The positions are worked out only when a message needs one, by parsing the text again:
    most builds have no errors, and a parse without them is cheaper to hand between processes.
    """

    path: str
    data: Any
    text: str = field(repr=False)
    _marks: Optional[Marks] = field(default=None, repr=False, compare=False)

    @property
    def marks(self) -> Marks:
        """Return the line and column of every value and key in the file."""
        if self._marks is None:
            loader = _Loader(self.text)
            try:
                marks = Marks()
                node = loader.get_single_node()
                if node is not None:
                    _build(loader, node, (), marks, set())
                self._marks = marks
            finally:
                loader.dispose()
        return self._marks


@dataclass
class TextFile:
    """One Markdown file as text."""

    path: str
    text: str


@dataclass
class RawContent:
    """Everything read from content/, before validation, plus what could not be read."""

    site: YamlFile | None = None
    parties: YamlFile | None = None
    overview: TextFile | None = None
    constituencies: dict[str, YamlFile] = field(default_factory=dict)
    facts_files: set[str] = field(default_factory=set)  # slugs with a .yml, even an unreadable one
    blurbs: dict[str, TextFile] = field(default_factory=dict)
    awaited_blurbs: dict[str, TextFile] = field(default_factory=dict)  # <slug>.awaited.md
    places: RawPlaces = RawPlaces(None, None, None, "content/places")
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # files that look like content, skipped


class _Refused(Exception):
    """A YAML construct we do not accept, with its position."""

    def __init__(self, message: str, mark: yaml.Mark):
        super().__init__(message)
        self.message, self.mark = message, mark


class _Loader(_BaseLoader):
    """Safe loader that keeps decimals exact.

    libyaml's composer asks Python for every node's tag; two shortcuts make that cheaper without
    changing an answer: there are no path resolvers to walk, and a plain scalar's tag depends only
    on its text, so it is worked out once per text (up to a bound).
    """

    _tags: dict[tuple, str] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < 100_000:
                self._tags[key] = tag
        return tag


# YAML 1.1 reads numbers no editor means: 0105 as octal 69, 26:30 as 1590 (base 60), 0x636 and
# 1_590 as 1590. Only plain decimal numbers are numbers here; any other spelling stays the text
# typed, which a number field then refuses with a hint (fields.py) and a text field keeps as written.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return int(node.value) if _PLAIN_INT.fullmatch(node.value) else node.value


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # Keep the digits the editor typed (63.8 stays 63.8, not 63.79999...); .inf and .nan stay text.
    return Decimal(node.value) if _PLAIN_DECIMAL.fullmatch(node.value) else node.value


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # no such day or time (2024-02-30, 25:00): the text, which a date field refuses
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_STR = "tag:yaml.org,2002:str"
_SCALARS = {tag: _Loader.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")}

# Content files nest three or four levels; libyaml's composer recurses in C once per level and
# crashes the process at some tens of thousands, so deeper text is refused before it is parsed.
MAX_NESTING = 64


def nesting_problem(text: str) -> Optional[tuple[int, int, str]]:
    """Return (line, column, message) where `text` nests deeper than MAX_NESTING, or None.

    Cheap for ordinary files: brackets are followed one by one only when there are many (quoted
    or not, so a value of 65 brackets in quotes is refused too), and block nesting is judged by how
    far lines are indented.
    """
    indent = max((len(m.group()) for m in re.finditer(r"^[ \t]*(?:-[ \t]+)*", text, re.M)), default=0)
    if indent > 2 * MAX_NESTING:
        at = max(re.finditer(r"^[ \t]*(?:-[ \t]+)*", text, re.M), key=lambda m: len(m.group()))
        line = text.count("\n", 0, at.start()) + 1
        return line, 1, (f"nests {indent} columns deep (indentation and '- ' marks), deeper than any "
                         f"content file needs (at most {2 * MAX_NESTING}); check the indentation")
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    depth = 0  # quotes and comments are not skipped: over-counting only refuses absurd files
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_NESTING:
            i = match.start()
            return (text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i),
                    f"brackets nest more than {MAX_NESTING} deep, deeper than any content file needs "
                    "(is a '[' or '{' never closed?)")
    return None


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _build(loader: _Loader, node: yaml.Node, loc: Loc, marks: Optional[Marks], seen: set[int]) -> Any:
    """Return the Python value of `node`, recording marks (if given); refuse aliases and duplicate keys."""
    if id(node) in seen:
        raise _Refused("YAML anchors and aliases (&name, *name) are not allowed; "
                       "write the value out in full", node.start_mark)
    seen.add(id(node))
    if marks is not None:
        marks.values[loc] = _pos(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map" or any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            raise _Refused("YAML merge keys (<<) are not allowed; write the fields out in full",
                           node.start_mark)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("a field name must be a plain word", key_node.start_mark)
            key = key_node.value  # the text as typed: `2019:` and `yes:` stay strings
            if key in result:
                raise _Refused(f"{key!r} appears twice in the same block; keep only one",
                               key_node.start_mark)
            if marks is not None:
                marks.keys[loc + (key,)] = _pos(key_node.start_mark)
            result[key] = _build(loader, value_node, loc + (key,), marks, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, loc + (i,), marks, seen) for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    construct = _SCALARS.get(node.tag)  # straight to the constructor: a scalar needs no bookkeeping
    return construct(loader, node) if construct else loader.construct_object(node, deep=True)


def parse_yaml(text: str, path: str) -> tuple[YamlFile | None, ContentError | None]:
    """Return the parsed file, or the first syntax error in it (YAML stops at the first)."""
    deep = nesting_problem(text)
    if deep is not None:
        return None, ContentError(path, deep[0], deep[1], deep[2])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _build(loader, node, (), None, set())
        return YamlFile(path, data, text), None
    except _Refused as refused:
        line, col = _pos(refused.mark)
        return None, ContentError(path, line, col, refused.message)
    except yaml.MarkedYAMLError as exc:
        # An unclosed '{' or a missing ':' is noticed a line late; the context mark is where it began.
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.problem_mark and exc.context_mark.line < exc.problem_mark.line:
            mark = exc.context_mark
        line, col = _pos(mark) if mark else (0, 0)
        problem = exc.problem or exc.context or "not valid YAML"
        hint = _yaml_hint(problem, text.splitlines()[line - 1] if 0 < line <= text.count("\n") + 1 else "")
        return None, ContentError(path, line, col, f"YAML syntax error: {problem}{hint}")
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        return None, _unreadable_character(text, path, exc)
    except yaml.YAMLError as exc:
        return None, ContentError(path, 0, 0, f"YAML error: {exc}")
    finally:
        loader.dispose()


def _unreadable_character(text: str, path: str, exc: yaml.reader.ReaderError) -> ContentError:
    """Return a character YAML refuses, located at its line and column, with the repaired text when
    it is mis-encoded (the official files hold a name whose 'Á' became 'Ã' and U+0081)."""
    from sitegen.content.fields import mojibake_hint
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    at = text.find(char)
    if at < 0:
        return ContentError(path, 0, 0, f"YAML error: {exc}")
    line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    start, end = at, at
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "{[,:\"'":
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end] not in "}],\"'":
        end += 1
    from sitegen.content.fields import is_noncharacter
    what = (f"U+{ord(char):04X}, which is not a character (Unicode keeps it out of text)" if is_noncharacter(ord(char))
            else f"the control character U+{ord(char):04X}, which YAML does not allow")
    return ContentError(path, line, col, f"contains {what}; delete it (retype the text if you cannot see it)"
                        f"{mojibake_hint(text[start:end])}")


def _yaml_hint(problem: str, line: str) -> str:
    """Return a suggestion for a YAML syntax error, judged from the message and the line."""
    if "\t" in line:
        return " (this line has a tab; indent with spaces)"
    if re.search(r":\s+#[^\s#]", line):  # "# " starts a comment; "#E4" was meant as a value
        return (' (a value that starts with # needs quotes, like "#E4003B": YAML reads the rest of '
                "the line as a comment)")
    if "expected ',' or '}'" in problem:
        return " (a '{' here is not closed with '}' on the same line)"
    if "expected ',' or ']'" in problem:
        return " (a '[' here is not closed with ']')"
    if "mapping values are not allowed" in problem:
        return " (a value containing ': ' needs quotes, or a line is indented wrongly)"
    if "could not find expected ':'" in problem:
        return " (is a ':' missing after a field name?)"
    if "constructor for the tag" in problem:
        return " (YAML tags like !!python are not allowed)"
    return ""


# path -> (its stat, its bytes, what loading them gave, the errors found): reused while the file
# is unchanged (same size, modification time and inode), or failing that while its bytes match.
class LoadCache(dict[Path, tuple[tuple[int, int, int], bytes, Any, list[ContentError]]]):
    """What loading each file gave, kept between builds (the preview keeps one), and the paths of
    the files listed so far: the preview lists the same folder after every save, and making and
    hashing a Path for each of 1,300 entries cost more than everything else it does there."""

    def __init__(self) -> None:
        super().__init__()
        self.listed: dict[tuple[Path, str], Path] = {}
        self.entries: dict[Path, Any] = {}  # what each file of constituencies/ added last time

    def child(self, folder: Path, name: str) -> Path:
        """Return folder / name, the same object each time."""
        path = self.listed.get((folder, name))
        if path is None:
            path = self.listed[(folder, name)] = folder / name
        return path


def read_bytes(path: Path, paths: Paths, errors: list[ContentError], limit: int = MAX_CONTENT_BYTES) -> bytes | None:
    """Return a content file's bytes, or None after recording why it may not be read (files.py)."""
    data, why = read_file(path, paths.content, limit, "content/")
    if why is not None:
        errors.append(ContentError(paths.display(path), 0, 0, why))
    return data


def decode_text(data: bytes, shown: str, errors: list[ContentError]) -> str | None:
    """Return the text of a file's bytes (UTF-8, BOM and CRLF accepted), or None after recording why not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(ContentError(shown, line, 0, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                   "save the file as UTF-8"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_yaml_file(data: bytes, shown: str, errors: list[ContentError]) -> YamlFile | None:
    text = decode_text(data, shown, errors)
    if text is None:
        return None
    parsed, error = parse_yaml(text, shown)
    if error:
        errors.append(error)
    return parsed


# What no page can carry: control characters other than tab and line break, and the code points
# Unicode keeps out of text (see fields.is_noncharacter).
_UNCARRIED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
                        + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")


def _parse_markdown_file(data: bytes, shown: str, errors: list[ContentError]) -> TextFile | None:
    text = decode_text(data, shown, errors)
    if text is None:
        return None
    if len(text) > MAX_BLURB_CHARACTERS:
        errors.append(ContentError(shown, 0, 0, f"is {len(text):,} characters long; a blurb is at most "
                                   f"{MAX_BLURB_CHARACTERS:,} (about 15,000 words): shorten it"))
        return None
    bad = _UNCARRIED.search(text)
    if bad is not None:
        from sitegen.content.fields import is_noncharacter, mojibake_hint
        at, code = bad.start(), ord(bad.group())
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        what = ("U+{:04X}, which is not a character (Unicode keeps it out of text)" if is_noncharacter(code)
                else "the control character U+{:04X}").format(code)
        word = text[text.rfind(" ", 0, at) + 1:text.find(" ", at) if text.find(" ", at) >= 0 else len(text)]
        errors.append(ContentError(shown, line, col, f"contains {what}; delete it (retype the text if you "
                                   f"cannot see it){mojibake_hint(word.strip())}"))
        return None
    return TextFile(shown, text)


def _stat_key(path: Path) -> tuple[int, int, int]:
    try:
        stat = os.lstat(path)  # a symbolic link gets its own key, and the slow path below
    except OSError:  # gone since it was listed: never trusted
        return (-1, 0, 0)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) if not S_ISLNK(stat.st_mode) else (-1, 0, 0)


def _load(path: Path, paths: Paths, errors: list[ContentError], parse: Any, cache: LoadCache | None,
          changed: Optional[set[Path]] = None, limit: int = MAX_CONTENT_BYTES) -> Any:
    """Return `parse` of the file's bytes, reusing the cached result while the file is unchanged.

    With `changed` (the files a watcher saw change), other cached files are trusted without a stat.
    """
    if cache is not None and path in cache:
        key, _, loaded, found = cache[path]
        if key[0] >= 0 and ((changed is not None and path not in changed) or key == _stat_key(path)):
            errors.extend(found)
            return loaded
    data = read_bytes(path, paths, errors, limit)
    if data is None:
        return None
    if cache is not None and path in cache and cache[path][1] == data:
        _, _, loaded, found = cache[path]
    else:
        found = []
        loaded = parse(data, paths.display(path), found)
    if cache is not None:
        cache[path] = (_stat_key(path), data, loaded, found)
    errors.extend(found)
    return loaded


def load_yaml(path: Path, paths: Paths, errors: list[ContentError], cache: LoadCache | None = None,
              changed: Optional[set[Path]] = None) -> YamlFile | None:
    """Return one YAML file parsed with marks, or None after recording why not."""
    return _load(path, paths, errors, _parse_yaml_file, cache, changed)


def load_markdown(path: Path, paths: Paths, errors: list[ContentError],
                  cache: LoadCache | None = None, changed: Optional[set[Path]] = None) -> TextFile | None:
    """Return one Markdown file, or None after recording why not."""
    return _load(path, paths, errors, _parse_markdown_file, cache, changed)


def load_content(paths: Paths, cache: LoadCache | None = None, changed: Optional[set[Path]] = None) -> RawContent:
    """Read every file under content/, reusing `cache` for files whose bytes are unchanged.

    `changed`, from a watcher, names the only files that may differ from the cache. Never raises
    for content mistakes: they are collected in the result's errors.
    """
    raw = RawContent()
    content = paths.content
    if not content.is_dir():
        raw.errors.append(ContentError(paths.display(content), 0, 0, "content folder not found"))
        return raw
    for name in ("site.yml", "parties.yml"):
        if (content / name).exists() or (content / name).is_symlink():
            setattr(raw, name[:-4], load_yaml(content / name, paths, raw.errors, cache, changed))
        else:
            raw.errors.append(ContentError(paths.display(content / name), 0, 0, "file not found"))
    if (content / "overview.md").exists():
        raw.overview = load_markdown(content / "overview.md", paths, raw.errors, cache, changed)
    raw.places = _load_places(content / places.FOLDER, paths, raw.errors, cache, changed)
    folder = content / "constituencies"
    names = sorted(entry.name for entry in os.scandir(folder)) if folder.is_dir() else []
    for name in names:
        _load_constituency_file(folder, name, paths, raw, cache, changed)
    if not raw.facts_files:
        raw.errors.append(ContentError(paths.display(folder), 0, 0, "no constituency files found; add "
                                       "<slug>.yml files here (python3 build.py new \"Name\" starts one)"))
    return raw


def _parse_text(data: bytes, shown: str, errors: list[ContentError]) -> str | None:
    return decode_text(data, shown, errors)


def _load_places(folder: Path, paths: Paths, errors: list[ContentError], cache: LoadCache | None,
                 changed: Optional[set[Path]]) -> RawPlaces:
    """Read content/places/: each lookup's text, None where a file is absent."""
    texts = [_load(folder / name, paths, errors, _parse_text, cache, changed, places.MAX_PLACES_BYTES)
             if (folder / name).exists() or (folder / name).is_symlink() else None
             for name in (places.POSTCODES, places.WARDS, places.SOURCES)]
    return RawPlaces(*texts, paths.display(folder))


AWAITED_SUFFIX = ".awaited"  # <slug>.awaited.md: the blurb shown until the result is declared

class _Entry(NamedTuple):
    """What one file of constituencies/ adds to the raw content."""

    kind: str                 # "facts", "blurb", "awaited" or "" (nothing: skipped, or refused)
    slug: str = ""
    loaded: Any = None
    errors: tuple = ()
    warnings: tuple = ()


def _apply(entry: _Entry, raw: RawContent) -> None:
    raw.errors.extend(entry.errors)
    raw.warnings.extend(entry.warnings)
    if entry.kind == "facts":
        raw.facts_files.add(entry.slug)
        if entry.loaded:
            raw.constituencies[entry.slug] = entry.loaded
    elif entry.kind and entry.loaded:
        (raw.awaited_blurbs if entry.kind == "awaited" else raw.blurbs)[entry.slug] = entry.loaded


def _load_constituency_file(folder: Path, name: str, paths: Paths, raw: RawContent,
                            cache: LoadCache | None, changed: Optional[set[Path]]) -> None:
    """Add one file of constituencies/ to `raw`; with a watcher's `changed`, a file not in it adds
    what it added last time, without being looked at again (the preview's one-seat rebuild)."""
    path = cache.child(folder, name) if cache is not None else folder / name
    entry = cache.entries.get(path) if cache is not None and changed is not None and path not in changed else None
    if entry is None:
        entry = _constituency_entry(path, name, paths, cache, changed)
        if cache is not None:
            cache.entries[path] = entry
    _apply(entry, raw)


def _constituency_entry(path: Path, name: str, paths: Paths, cache: LoadCache | None,
                        changed: Optional[set[Path]]) -> _Entry:
    if EDITOR_WORK.search(name):
        return _Entry("")  # an editor's swap, lock or temporary file: nothing anybody wrote
    stem, _, ext = name.rpartition(".")
    if ext in ("yml", "md") and not stem.strip("."):  # '.yml', '...yml': a name lost in a rename
        return _Entry("", errors=(ContentError(paths.display(path), 0, 0, f"file name {name!r} has no "
                                               f"constituency before .{ext}; was a seat's file renamed by mistake? "
                                               f"Name it <slug>.{ext}"),))
    if not is_source_name(name):
        shown = paths.display(path)
        why = (f"is skipped because its name starts with '.'; rename it to {name.lstrip('.')!r} to "
               "publish it" if name.startswith(".") else "looks like an editor's backup copy, so it is skipped")
        if name.lstrip(".").partition(".")[2] in ("yml", "md") or BACKUP.search(name):
            return _Entry("", warnings=(ContentError(shown, 0, 0, why, warning=True),))
        return _Entry("")
    slug, dot, ext = name.rpartition(".")
    kind = "blurb"
    if ext == "md" and slug.endswith(AWAITED_SUFFIX) and SLUG_RE.match(slug[:-len(AWAITED_SUFFIX)]):
        slug, kind = slug[:-len(AWAITED_SUFFIX)], "awaited"
    if ext not in ("yml", "md") or not dot:
        hint = " (rename it to .yml)" if ext == "yaml" else ""
        return _Entry("", errors=(ContentError(paths.display(path), 0, 0, "unexpected file in constituencies/; "
                                               f"expected <slug>.yml or <slug>.md{hint}"),))
    if not SLUG_RE.match(slug):
        suggestion = slugify(slug)
        hint = f"; try {suggestion + '.' + ext!r}" if suggestion else ""
        return _Entry("", errors=(ContentError(paths.display(path), 0, 0, f"file name {slug!r} is not a valid slug "
                                               f"(lowercase a-z, 0-9 and '-'){hint}"),))
    if slug in RESERVED_SLUGS:
        return _Entry("", errors=(ContentError(paths.display(path), 0, 0, f"file name {slug!r} is taken: the site "
                                               f"puts {RESERVED_SLUGS[slug]} at {slug}/; name the file after the "
                                               "constituency"),))
    errors: list[ContentError] = []
    if ext == "yml":
        return _Entry("facts", slug, load_yaml(path, paths, errors, cache, changed), tuple(errors))
    return _Entry(kind, slug, load_markdown(path, paths, errors, cache, changed), tuple(errors))
