"""File → text: formats, encodings, and a one-line ReadError for every bad file."""
from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from zhengce.errors import ReadError
from zhengce.reader import loading
from zhengce.reader.loading import MAX_BYTES, html_text, iter_documents, load

CORPUS = Path(__file__).parent.parent / "corpus"

# Every character is in GB2312, so each encoding below can hold the snippet.
SNIPPET = (
    "威海市人民政府关于加快科技创新的实施意见\n"
    "第一条　对新认定的高新技术企业，给予最高10万元奖励。\n"
    "第二条　本意见自2021年12月1日起施行，有效期至2024年11月30日。\n"
)


# ---------------------------------------------------------------- builders

def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing ASCII `lines` in Helvetica, with a correct xref table."""
    shown = " ".join(f"({line}) '" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td 14 TL {shown} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def rewrite_pdf(raw: bytes, edit: Callable[..., None]) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(raw))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(empty: bool = False) -> bytes:
    import docx

    document = docx.Document()
    if not empty:
        document.add_heading("威海市科技创新若干政策", 1)
        document.add_paragraph("第一条 对新认定的高新技术企业给予10万元奖励。")
        table = document.add_table(rows=2, cols=3)
        for col, word in enumerate(("项目", "金额", "备注")):
            table.cell(0, col).text = word
        table.cell(1, 0).text = "高新技术企业"
        table.cell(1, 1).merge(table.cell(1, 2)).text = "10万元"
        document.add_paragraph("第二条 本政策自发布之日起施行。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def html_page(body: str, title: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("name,raw,encoding", [
    ("utf-8", SNIPPET.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", SNIPPET.encode("utf-8-sig"), "utf-8-sig"),
    ("GBK", SNIPPET.encode("gbk"), "gb18030"),
    ("GB18030", SNIPPET.encode("gb18030"), "gb18030"),
    ("UTF-16-LE with BOM", codecs.BOM_UTF16_LE + SNIPPET.encode("utf-16-le"), "utf-16"),
    ("UTF-16-BE with BOM", codecs.BOM_UTF16_BE + SNIPPET.encode("utf-16-be"), "utf-16"),
    ("Windows line ends", SNIPPET.replace("\n", "\r\n").encode("gbk"), "gb18030"),
])
def test_every_encoding_gives_the_same_text(tmp_path: Path, name: str, raw: bytes, encoding: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(raw)
    loaded = load(path)
    assert loaded.text == SNIPPET
    assert (loaded.format, loaded.encoding) == ("txt", encoding)
    assert loaded.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("text,encoding", [
    ("本办法所称企业含䶮字号商户，给予最高5万元补助。", "gb18030"),       # 䶮: a 4-byte GB18030 character
    ("關於加快科技創新的若干政策措施，對企業給予最高100萬元獎勵。" * 3, "big5"),  # Taiwan/Hong Kong files
])
def test_other_chinese_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(text.encode(encoding))
    loaded = load(path)
    assert loaded.text == text
    assert loaded.encoding == encoding


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("html,expected", [
    (html_page("<p>第一条 总则</p><p>第二条 适用范围</p>"), "第一条 总则\n第二条 适用范围"),
    (html_page("<p>一、目标<br>二、措施</p>"), "一、目标\n二、措施"),
    (html_page("<table><tr><th>项目</th><th>金额</th></tr><tr><td>高企</td><td> 10万元 </td></tr></table>"),
     "项目\t金额\n高企\t10万元"),
    (html_page("<p>研发费用&gt;5%&amp;营收&lt;2亿元&nbsp;</p>"), "研发费用>5%&营收<2亿元"),
    (html_page("<div><div>\n\n</div><p>  正文  </p>\n\n\n<div></div><p>落款</p></div>"), "正文\n落款"),
    (html_page("<p>关于\n  促进</p>"), "关于 促进"),
])
def test_html_blocks_become_lines(html: str, expected: str) -> None:
    assert html_text(html) == expected


@pytest.mark.parametrize("dropped", [
    "<script>var 脚本 = 1;</script>",
    "<style>.c { color: red } /* 样式 */</style>",
    "<noscript>请开启脚本</noscript>",
    "<nav><a href='/'>首页</a> 政务公开</nav>",
    "<header>网站头部 无障碍 长者助手</header>",
    "<footer>主办：某市人民政府 网站标识码</footer>",
    "<form><input name=q><select><option>全部</option></select><button>搜索</button></form>",
    "<iframe src='x'>框架</iframe>",
    "<!-- 注释：旧版正文 -->",
    "<span style='display:none'>访问量</span>",
    "<div hidden>分享摘要</div>",
])
def test_html_page_furniture_is_dropped(dropped: str) -> None:
    text = html_text(html_page(f"{dropped}<p>第一条 正文内容</p>"))
    assert text == "第一条 正文内容"


def test_page_whose_text_is_all_hidden_is_read_with_it() -> None:
    # Some portals hide the article until a script has run.
    assert html_text(html_page("<div style='display: none'><p>第一条 正文</p></div>")) == "第一条 正文"


def test_article_header_and_footer_are_the_document() -> None:
    html = html_page("<header>网站导航</header><article><header><h1>关于X的通知</h1></header>"
                     "<p>正文</p><footer>某市科技局 2024年1月1日</footer></article>")
    assert html_text(html) == "关于X的通知\n正文\n某市科技局 2024年1月1日"


@pytest.mark.parametrize("title,body,first_line", [
    # The body shows the document's title after breadcrumbs: no second copy.
    ("关于加快科技创新的实施意见 - 威海市人民政府", "<p>首页 > 政策</p><h1>关于加快科技创新的实施意见</h1><p>正文</p>",
     "首页 > 政策"),
    ("关于加快科技创新的实施意见_政府信息公开", "<h1>关于加快 科技创新的实施意见</h1><p>正文</p>", "关于加快 科技创新的实施意见"),
    # A bare article fragment: the <title> is the only place the title is.
    ("关于加快科技创新的实施意见", "<p>各区县人民政府：</p><p>正文</p>", "关于加快科技创新的实施意见"),
])
def test_title_leads_only_when_the_body_lacks_it(title: str, body: str, first_line: str) -> None:
    text = html_text(html_page(body, title))
    assert text.splitlines()[0] == first_line
    assert text.count("科技创新的实施意见") == 1


@pytest.mark.parametrize("html", [
    "<html><body><p>第一条 正文</p></body>",          # no </html>
    "<p>第一条 正文</p><p>第二条",                     # fragment, last paragraph unclosed
    "<html><body><p>研发费用 < 5% 的企业</p>",          # a '<' in the text is not a tag
])
def test_html_without_closing_tags_is_fine(html: str) -> None:
    assert "第一条 正文" in html_text(html) or "研发费用 < 5% 的企业" in html_text(html)


@pytest.mark.parametrize("name,raw,fmt", [
    ("page", html_page("<p>正文</p>", "标题").encode(), "html"),
    ("page.shtml", html_page("<p>正文</p>").encode("gbk"), "html"),
    ("article.jsp", b"\n<div class='article'><p>\xd5\xfd\xce\xc4</p></div>", "html"),
    ("notes", SNIPPET.encode(), "txt"),
    ("scan", make_pdf(["Article 1"]), "pdf"),
    ("letter", make_docx(), "docx"),
    ("page.txt", html_page("<p>正文</p>").encode(), "txt"),   # .txt is trusted, even holding markup
])
def test_format_from_content_when_the_suffix_does_not_say(tmp_path: Path, name: str, raw: bytes, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    assert load(path).format == fmt


def test_gbk_html(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(html_page("<p>第一条　给予最高10万元奖励。</p>", "通知").encode("gbk"))
    loaded = load(path)
    assert (loaded.format, loaded.encoding) == ("html", "gb18030")
    assert "第一条　给予最高10万元奖励。" in loaded.text


# ---------------------------------------------------------------- PDF and DOCX

def test_pdf_pages_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(make_pdf(["Article 1 Grants up to 2 million yuan", "Article 2 Applies from 2024"]))
    loaded = load(path)
    assert loaded.text == "Article 1 Grants up to 2 million yuan\nArticle 2 Applies from 2024"
    assert (loaded.format, loaded.encoding) == ("pdf", None)


def test_pdf_locked_only_against_editing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(rewrite_pdf(make_pdf(["Article 1"]),
                                 lambda w: w.encrypt("", owner_password="owner", algorithm="RC4-128")))
    assert load(path).text == "Article 1"


def test_docx_paragraphs_and_table_rows(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(make_docx())
    loaded = load(path)
    assert loaded.text == (
        "威海市科技创新若干政策\n"
        "第一条 对新认定的高新技术企业给予10万元奖励。\n"
        "项目\t金额\t备注\n"
        "高新技术企业\t10万元\n"          # a merged cell counts once
        "第二条 本政策自发布之日起施行。"
    )
    assert loaded.format == "docx"


# ---------------------------------------------------------------- bad files

def sparse_50_mb(path: Path) -> None:
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)


BAD_FILES: list[tuple[str, bytes | Callable[[Path], None] | None, str]] = [
    # name, content (bytes, a builder, or None for a folder), what the message must say
    ("empty.txt", b"", "empty document"),
    ("blank.txt", b" \r\n\t\n  \n", "empty document"),
    ("blank.html", b"\n\n  ", "empty document"),
    ("nul.txt", b"\x00\x01\x02\x03binary\x00", "not text"),
    ("control.txt", bytes(range(1, 9)) * 40 + b"abc", "not text"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text: the file is a PNG image"),
    ("archive.txt", make_zip(**{"a.txt": "hello"}), "not text: the file is a ZIP archive"),
    ("archive.html", make_zip(**{"a.txt": "hello"}), "not text: the file is a ZIP archive"),
    ("invalid.txt", b"\x80\xff" * 200, "cannot decode as UTF-8 or GBK"),
    ("shift-jis.txt", ("日本語のテキストです。これはシフトJISでエンコードされています。" * 4).encode("shift_jis"),
     "cannot decode as UTF-8 or GBK"),
    ("latin-1.txt", "Le café a été élu meilleur établissement de la région. Ça coûte très cher.".encode("latin-1"),
     "cannot decode as UTF-8 or GBK"),
    ("cut-in-tag.html", '<html><body><p>第一条 正文</p><div class="ar'.encode(), "HTML is truncated (ends inside a tag)"),
    ("cut-in-script.html", b"<html><body><p>text</p><script>var a = '<p>';", "HTML is truncated (ends inside <script>)"),
    ("cut-in-comment.html", b"<html><body><p>text</p><!-- old > new", "HTML is truncated (ends inside a comment)"),
    ("no-text.html", html_page("<script>render()</script><nav>首页</nav>").encode(), "no text in the page"),
    ("policy.json", b'{"title": "x"}', "unsupported file type '.json'"),
    ("policy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".doc (old Word/WPS format) is not supported"),
    ("page.pdf", html_page("<p>404 Not Found</p>").encode(), "not a PDF: the file is an HTML page"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> \x80\x81", "broken PDF"),
    ("cut.pdf", make_pdf(["Article 1"])[:200], "broken PDF"),
    ("locked.pdf", rewrite_pdf(make_pdf(["Article 1"]), lambda w: w.encrypt("secret", algorithm="RC4-128")),
     "encrypted PDF"),
    ("scanned.pdf", blank_pdf(), "no text layer (scanned PDF?)"),
    ("plain.docx", SNIPPET.encode(), "not a DOCX"),
    ("archive.docx", make_zip(**{"a.txt": "hello"}), "not a DOCX: a ZIP archive without word/document.xml"),
    ("cut.docx", make_docx()[:3000], "broken DOCX"),
    ("empty.docx", make_docx(empty=True), "empty document"),
    ("huge.txt", sparse_50_mb, "file too large: 50.0 MB, over the 20 MB limit"),
    ("folder", None, "is a directory; give a file, or use `zhengce ingest` for folders"),
    ("missing.txt", b"", "no such file"),
]


def make_bad_file(tmp_path: Path, name: str, content: bytes | Callable[[Path], None] | None) -> Path:
    path = tmp_path / name
    if name.startswith("missing"):
        return path
    if content is None:
        path.mkdir()
    elif callable(content):
        content(path)
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("name,content,problem", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_file_gives_one_line_naming_file_and_problem(
    tmp_path: Path, name: str, content: bytes | Callable[[Path], None] | None, problem: str
) -> None:
    path = make_bad_file(tmp_path, name, content)
    with pytest.raises(ReadError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message
    assert caught.value.path == str(path)


def test_oversize_file_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    sparse_50_mb(path)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("opened an oversize file")

    monkeypatch.setattr(loading, "open", no_open, raising=False)
    with pytest.raises(ReadError, match="over the 20 MB limit"):
        load(path)


def test_limit_is_inclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_BYTES", len(SNIPPET.encode()))
    path = tmp_path / "policy.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    assert load(path).text == SNIPPET
    path.write_text(SNIPPET + "。", encoding="utf-8")
    with pytest.raises(ReadError, match="file too large"):
        load(path)


def test_max_bytes_is_twenty_megabytes() -> None:
    assert MAX_BYTES == 20 * 1024 * 1024


# ---------------------------------------------------------------- folders

def test_iter_documents_finds_documents_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a/c.HTML", "a/d.pdf", "e.docx", "notes.md", ".hidden.txt", "~$e.docx", "a/f.htm"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    single = tmp_path / "notes.md"
    found = [p.relative_to(tmp_path).as_posix() for p in iter_documents([tmp_path, single])]
    assert found == ["a/c.HTML", "a/d.pdf", "a/f.htm", "b.txt", "e.docx", "notes.md"]


# ---------------------------------------------------------------- the corpus

CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in loading.DOCUMENT_SUFFIXES)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_every_corpus_file_loads(path: Path) -> None:
    loaded = load(path)
    assert len(loaded.text) > 500
    assert loaded.format == loading._FORMAT_OF_SUFFIX[path.suffix]
    assert "\r" not in loaded.text


HTML_PAIRS = sorted(CORPUS.glob("*.html"))


@pytest.mark.parametrize("page", HTML_PAIRS, ids=[p.name for p in HTML_PAIRS])
def test_html_text_holds_what_the_text_version_holds(page: Path) -> None:
    """Each long line of the sibling .txt (same document, extracted by someone else) is in our text.

    The few allowed misses are the site's <title> (we keep the body's own title
    instead) and a hidden share summary.
    """
    ours = "".join(load(page).text.split())
    theirs = ["".join(line.split()) for line in page.with_suffix(".txt").read_text(encoding="utf-8").splitlines()]
    long_lines = [line for line in theirs if len(line) >= 20]
    missing = [line for line in long_lines if line not in ours]
    assert len(missing) <= 0.1 * len(long_lines), missing
