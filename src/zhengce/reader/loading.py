"""Load a document file into text: the one place that knows file formats and encodings.

Formats come from the suffix (.txt, .html/.htm, .pdf, .docx); a file with no suffix,
or a saved page such as .shtml or .jsp, is recognised by its content. Text and HTML
may be UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 with a BOM. Anything else
raises `ReadError` with a one-line message naming the file and the problem.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zhengce.errors import ReadError

if TYPE_CHECKING:
    from docx.table import Table
    from selectolax.lexbor import LexborNode

# The loader holds the whole file in memory, and PDF parsing and encoding detection
# are ~100× slower than reading: 20 MB of text is millions of characters, the size
# of hundreds of policies, so a bigger file is a dump or the wrong file, not one document.
MAX_BYTES = 20 * 1024 * 1024

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
_FORMAT_OF_SUFFIX = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
_ACCEPTED = "give a .txt, .html/.htm, .pdf or .docx file"

# What people hand us instead of a document, recognised by its first bytes.
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"\x7fELF", "a program"),
)
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)
# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
# Encodings charset-normalizer may name that we accept: other Chinese ones only.
# It also names Shift-JIS or cp1252 for such files; those are wrong files here.
_OTHER_CHINESE = {"big5", "big5hkscs", "cp950", "hz", "gb2312", "gbk", "gb18030"}
# Controls that do not occur in text; \t \n \v \f \r and \x1a (DOS end-of-file) do.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class LoadedText:
    """A document file's text, with how it was read."""

    text: str
    format: str            # txt | html | pdf | docx
    encoding: str | None   # of txt and html; None for pdf and docx
    sha256: str            # of the file's bytes


class _Unreadable(ValueError):
    """A problem found inside a loader; `load` adds the file's name."""


def load(path: Path) -> LoadedText:
    """Read one document file into text.

    Args:
        path: a .txt, .html/.htm, .pdf or .docx file (text in UTF-8, GBK or UTF-16).

    Raises:
        ReadError: the file is missing, too big, binary, empty, truncated, or not
            in an accepted format or encoding; the message names the file.
    """
    path = Path(path)
    try:
        raw = _read_bytes(path)
        suffix = path.suffix.lower()
        fmt = _FORMAT_OF_SUFFIX.get(suffix)
        if fmt is None:
            fmt = _sniff(raw)
            if suffix and fmt == "txt":
                raise _Unreadable(_unsupported(suffix))
        encoding: str | None = None
        if fmt == "pdf":
            text = _pdf_text(raw)
        elif fmt == "docx":
            text = _docx_text(raw)
        else:
            text, encoding = _decode(raw)
            if fmt == "html":
                # UTF-8 bytes are what the HTML parser reads: it need not encode the text again.
                text = html_text(text, raw if encoding == "utf-8" else None)
    except _Unreadable as exc:
        raise ReadError(path, str(exc)) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return LoadedText(text, fmt, encoding, hashlib.sha256(raw).hexdigest())


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing folders and oversize files before reading them."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise _Unreadable("is a directory; give a file, or use `zhengce ingest` for folders")
        if not stat.S_ISREG(st.st_mode):
            raise _Unreadable("not a regular file")
        if st.st_size > MAX_BYTES:
            raise _Unreadable(_too_big(st.st_size))
        with open(path, "rb") as f:
            # read(n) allocates n bytes up front, so ask for the size stat gave; one
            # byte more tells a file that grew since, or has no size (/proc), to read on.
            raw = f.read(st.st_size + 1)
            if len(raw) > st.st_size:
                raw += f.read(MAX_BYTES + 1 - len(raw))
    except FileNotFoundError:
        raise _Unreadable("no such file") from None
    except PermissionError:
        raise _Unreadable("permission denied") from None
    except OSError as exc:
        raise _Unreadable(exc.strerror or type(exc).__name__) from None
    if len(raw) > MAX_BYTES:
        raise _Unreadable(_too_big(len(raw)))
    if not raw or raw.isspace():
        raise _Unreadable("empty document")
    return raw


def _too_big(size: int) -> str:
    mb = 1024 * 1024
    return f"file too large: {size / mb:.1f} MB, over the {MAX_BYTES / mb:g} MB limit for one document"


def _unsupported(suffix: str) -> str:
    if suffix in (".doc", ".wps"):
        return f"{suffix} (old Word/WPS format) is not supported: save it as .docx or PDF"
    return f"unsupported file type {suffix!r}: {_ACCEPTED}"


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|span|section|article|h[1-6])\b",
    re.DOTALL,
)


def _sniff(raw: bytes) -> str:
    """The format of a file whose suffix does not say: pdf, docx, html or txt."""
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith(b"PK\x03\x04") and b"word/document.xml" in raw:
        return "docx"
    if _HTML_START.match(raw[:4096].removeprefix(codecs.BOM_UTF8).lower()):
        return "html"
    return "txt"


# ---------------------------------------------------------------- text encodings

def _decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding of a txt or html file's bytes."""
    if raw.startswith(_BOM_PREFIXES):
        for bom, codec in _BOMS:
            if raw.startswith(bom):
                try:
                    text = raw.decode(codec)
                except UnicodeDecodeError as exc:
                    raise _Unreadable(f"cannot decode as {codec.upper()}: {exc.reason} at byte {exc.start}") from None
                return _checked(text, text[:4096].encode("utf-8", "replace")), codec
    if raw.startswith(_MAGIC_PREFIXES):
        kind = next(name for magic, name in _MAGIC if raw.startswith(magic))
        raise _Unreadable(f"not text: the file is {kind}")
    if b"\x00" in raw:
        raise _Unreadable("not text: it has NUL bytes (a binary file, or UTF-16 without a BOM?)")
    try:
        return _checked(raw.decode("utf-8"), raw), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_chinese(text):
            return _checked(text, raw), "gb18030"
    return _decode_other(raw, utf8_error)


def _looks_chinese(text: str) -> bool:
    """Whether text decoded as GBK is Chinese rather than another encoding's bytes.

    GBK accepts most byte pairs, so Shift-JIS or Latin-1 files often decode without
    error into rare characters; real Chinese text is almost all in GB2312's 6,763.
    """
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return True
    # Each GB2312 character encodes to 2 bytes and each other one to a 1-byte "?",
    # so the excess over len(text) counts the GB2312 characters.
    in_gb2312 = len(text.encode("gb2312", "replace")) - len(text)
    return in_gb2312 >= 0.8 * non_ascii


def _decode_other(raw: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Big5 and other Chinese encodings, found by charset-normalizer; else a ReadError."""
    from charset_normalizer import from_bytes

    # Its verdict settles within the first few hundred KB; the whole file costs seconds.
    best = from_bytes(raw[:256 * 1024]).best()
    guess = best.encoding if best is not None else None
    if guess in _OTHER_CHINESE:
        try:
            text = raw.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if _CJK.search(text):
                return _checked(text, raw), guess
    byte = raw[utf8_error.start]
    looks = f" (it looks like {guess})" if guess else ""
    raise _Unreadable(
        f"cannot decode as UTF-8 or GBK: byte 0x{byte:02X} at offset {utf8_error.start}{looks}; save the file as UTF-8"
    )


def _checked(text: str, encoded: bytes) -> str:
    """Text, after refusing binary content and blank files.

    `encoded` is the text in an ASCII-compatible encoding, where control characters
    are single bytes: counting them there is ~10× faster than a regex over `text`.
    """
    sample = encoded[:4096]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls > max(8, len(sample) // 100):
        raise _Unreadable(f"not text: {controls} control bytes in its first {len(sample)} (a binary file?)")
    if not text or text.isspace():
        raise _Unreadable("empty document")
    return text


# ---------------------------------------------------------------- HTML

# Page furniture whose text is never the document. header/footer are handled apart:
# inside <article> or <main> they hold the document's own title and signature.
_DROP_TAGS = frozenset((
    "head", "script", "style", "noscript", "template", "nav", "form", "select", "iframe",
    "svg", "canvas", "object", "embed", "button", "textarea", "audio", "video", "map",
))
_BLOCK_TAGS = frozenset((
    "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "main", "aside",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "address", "figure", "figcaption", "caption",
    "center", "header", "footer",
))
# Unicode noncharacters stand for the breaks we insert, so that collapsing the
# page's own whitespace leaves them alone. (Not private-use ones: GBK maps its
# user-defined characters there.)
_LINE, _CELL = "\ufdd0", "\ufdd1"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_CELL_SPACE = re.compile(f" ?{_CELL} ?")
_HIDDEN = '[hidden], [style*="display:none" i], [style*="display: none" i]'
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|]+\s+|_|\|")
_TITLE_WINDOW = 5000


def html_text(html: str, utf8: bytes | None = None) -> str:
    """The readable text of an HTML page: one line per block, table rows on one line.

    `utf8`, where given, is the page in UTF-8 (the file's own bytes), which the parser reads.

    Raises ValueError for a truncated page or one without text.

    >>> html_text("<title>关于X的通知</title><nav>首页</nav><h1>关于X的通知</h1><p>一、目的&nbsp;</p>"
    ...           "<table><tr><td>项目</td><td>金额</td></tr></table>")
    '关于X的通知\\n一、目的\\n项目\\t金额'
    """
    truncated = _truncation(html)
    if truncated:
        raise _Unreadable(f"HTML is truncated ({truncated})")
    # A page that shows its text only through a script is read with its hidden parts.
    parsed = html if utf8 is None else utf8
    text = _page_text(parsed, drop_hidden=True) or _page_text(parsed, drop_hidden=False)
    if not text:
        raise _Unreadable("no text in the page")
    return text


def _page_text(html: str | bytes, drop_hidden: bool) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _HTML_SPACE.sub(" ", title_node.text()).strip() if title_node is not None else ""
    body = tree.body
    if body is None:
        return title
    # Elements are picked by their tag from one list of all of them: a selector list of
    # many tags ("p, div, li, …") costs lexbor several times a walk over every element.
    # Reversed document order removes a nested node before its ancestor, so no
    # node is touched after its parent is gone.
    for node in reversed([node for node in body.css("*") if node.tag in _DROP_TAGS]):
        node.decompose()
    for node in reversed(body.css("header, footer")):
        if not _inside(node, ("article", "main")):
            node.decompose()
    if drop_hidden:
        # Visit counters and share-widget summaries sit in hidden elements.
        for node in reversed(body.css(_HIDDEN)):
            node.decompose()
    # Breaks, cell ends and block edges in one pass: each mark goes next to its own node,
    # so the order they are put in does not change where they stand.
    for node in body.css("*"):
        tag = node.tag
        if tag in _BLOCK_TAGS:
            node.insert_before(_LINE)
            node.insert_after(_LINE)
        elif tag == "br":
            node.replace_with(_LINE)
        elif tag == "td" or tag == "th":
            node.insert_after(_CELL)
    for node in body.css("pre"):
        node.replace_with(node.text().replace("\n", _LINE))

    text = _HTML_SPACE.sub(" ", body.text())
    if _CELL in text:  # pages without a table: the pattern would be tried at every character
        text = _CELL_SPACE.sub("\t", text)
    lines = []
    for line in text.split(_LINE):
        line = line.strip(" \t\xa0")
        if line and not line.isspace():
            lines.append(line)
    text = "\n".join(lines)
    if title and not _starts_with_title(text, title):
        text = f"{title}\n{text}" if text else title
    return text


def _truncation(html: str) -> str | None:
    """Where a page was cut off, if it was: inside a tag, a comment, a script or a style."""
    last_open = html.rfind("<")
    if last_open != -1 and ">" not in html[last_open:] and re.match(r"<[A-Za-z/!?]", html[last_open:last_open + 2]):
        return "ends inside a tag"
    if html.rfind("<!--") > html.rfind("-->"):
        return "ends inside a comment"
    # Lower- and upper-case spellings only: lowering a whole page costs more than
    # the rest of this check, and mixed-case tags are rare.
    for tag in ("script", "style"):
        last_open = max(html.rfind(f"<{tag}"), html.rfind(f"<{tag.upper()}"))
        if last_open > max(html.rfind(f"</{tag}"), html.rfind(f"</{tag.upper()}")):
            return f"ends inside <{tag}>"
    return None


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _starts_with_title(text: str, title: str) -> bool:
    """Whether the page's text already shows its <title>, or the title's longest part, near the top.

    Titles carry the site's name ("关于…的通知 - 广州市人民政府门户网站"); the body
    shows the document's own title after the breadcrumbs.
    """
    core = max(_TITLE_SEPARATOR.split(title), key=len)
    head = "".join(text[:_TITLE_WINDOW].split())
    return "".join(core.split()) in head


# ---------------------------------------------------------------- PDF and DOCX

def _pdf_text(raw: bytes) -> str:
    """Text of every page of a PDF, pages joined by newlines."""
    if b"%PDF-" not in raw[:1024]:
        raise _Unreadable(f"not a PDF: {_what_it_is(raw)}")
    import pypdf

    # pypdf logs every repaired cross-reference table: noise for one-line CLI errors.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 -- a missing crypto library is one more way to fail
                opened = pypdf.PasswordType.NOT_DECRYPTED
            if opened == pypdf.PasswordType.NOT_DECRYPTED:
                raise _Unreadable("encrypted PDF: it needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except _Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 -- pypdf raises many types on broken files
        raise _Unreadable(f"broken PDF: {_one_line(exc)}") from None
    text = "\n".join(pages)
    if not text.strip():
        raise _Unreadable("no text layer (scanned PDF?): run OCR on it first")
    return text


# A docx whose main part inflates past this is a zip bomb, not a policy.
_MAX_DOCX_XML = 200 * 1024 * 1024


def _docx_text(raw: bytes) -> str:
    """Paragraphs and table rows of a DOCX in document order; a row's cells split by tabs."""
    import zipfile

    if not raw.startswith(b"PK\x03\x04"):
        raise _Unreadable(f"not a DOCX: {_what_it_is(raw)}")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            part = archive.getinfo("word/document.xml")
    except KeyError:
        raise _Unreadable("not a DOCX: a ZIP archive without word/document.xml") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Unreadable(f"broken DOCX: {_one_line(exc)}") from None
    if part.file_size > _MAX_DOCX_XML:
        raise _Unreadable(f"DOCX text part too large: {part.file_size / (1024 * 1024):.0f} MB unpacked")

    import docx
    from docx.table import Table

    lines: list[str] = []
    try:
        document = docx.Document(io.BytesIO(raw))
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_rows(block))
            else:
                lines.append(block.text)
    except Exception as exc:  # noqa: BLE001 -- python-docx and lxml raise many types on broken parts
        raise _Unreadable(f"broken DOCX: {_one_line(exc)}") from None
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise _Unreadable("empty document")
    return text


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell comes back once per grid column it spans.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield "\t".join(cells)


def _what_it_is(raw: bytes) -> str:
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            return f"the file is {name}"
    if _HTML_START.match(raw[:4096].lower()):
        return "the file is an HTML page"
    return f"the file starts with {raw[:16]!r}"


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]


# ---------------------------------------------------------------- folders

def iter_documents(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The document files named by `paths`, folders searched recursively, in a stable order.

    Hidden files and Word's `~$` lock files are skipped: they are never documents.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in DOCUMENT_SUFFIXES
                and not p.name.startswith((".", "~$"))
                and p.is_file()
            )
        else:
            yield path
