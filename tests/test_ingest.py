"""Ingest: idempotent, stable ids, bad files skipped, searches answered while it writes."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from test_store import check_consistent, table_rows
from zhengce.library import open_library


def test_corpus_ingest_is_idempotent(db_url: str, corpus_dir: Path) -> None:
    files = sorted(p for p in corpus_dir.iterdir() if p.suffix in (".txt", ".html"))
    with open_library(db_url) as lib:
        first = lib.ingest([corpus_dir])
        assert [e.message for e in first.failed] == []
        assert first.count("added") == len(files) == lib.count()
        snapshot = {t: table_rows(db_url, t) for t in ("policies", "articles", "items", "tags", "files")}
        again = lib.ingest([corpus_dir])
        assert again.count("unchanged") == len(files)
        assert [e.policy_id for e in again.events] == [e.policy_id for e in first.events]
        assert {t: table_rows(db_url, t) for t in snapshot} == snapshot   # not even a timestamp moved
        assert lib.search("众创空间").total >= 1
    check_consistent(db_url)


def test_a_changed_file_keeps_its_id_and_replaces_its_reading(db_url: str, tmp_path: Path) -> None:
    doc = tmp_path / "policy.txt"
    doc.write_text("关于支持专利的通知\n\n一、对发明专利给予奖励。\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("关于人才的通知\n\n一、引进人才。\n", encoding="utf-8")
    with open_library(db_url) as lib:
        first = {Path(e.path).name: e for e in lib.ingest([tmp_path]).events}
        doc.write_text("关于支持众创空间的通知\n\n一、对众创空间给予补助。\n", encoding="utf-8")
        second = {Path(e.path).name: e for e in lib.ingest([tmp_path]).events}
        assert second["policy.txt"].status == "updated" and second["other.txt"].status == "unchanged"
        assert second["policy.txt"].policy_id == first["policy.txt"].policy_id
        assert lib.search("专利").total == 0
        assert [h.policy_id for h in lib.search("众创空间").hits] == [first["policy.txt"].policy_id]
        assert lib.load(first["policy.txt"].policy_id).text.startswith("关于支持众创空间")
        # A new source URL is a change too: the reading records where it came from.
        third = {Path(e.path).name: e for e in lib.ingest([doc], source_url="https://example.gov.cn/1").events}
        assert third["policy.txt"].status == "updated"
        assert lib.load(first["policy.txt"].policy_id).source.url == "https://example.gov.cn/1"
        assert lib.count() == 2
    check_consistent(db_url)


def test_a_bad_file_in_the_middle_of_a_batch_is_skipped(db_url: str, tmp_path: Path, corpus_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["a.txt", "b.pdf", "c.txt", "d.txt", "e.txt"]
    shutil.copy(corpus_dir / "weihai-2021-keji-chuangxin.txt", tmp_path / names[0])
    (tmp_path / names[1]).write_bytes(b"%PDF-1.4\n\x00\x01 not really a pdf")
    shutil.copy(corpus_dir / "dongguan-2016-kejifuwu-jigou.txt", tmp_path / names[2])
    shutil.copy(corpus_dir / "guangzhou-633-rencai.txt", tmp_path / names[3])
    shutil.copy(corpus_dir / "liuhe-zhongdian-chanye-old.txt", tmp_path / names[4])
    with open_library(db_url) as lib:
        # d.txt reads fine but its save fails halfway, after its rows went in: all must roll back.
        insert = lib.repo.index.insert

        def failing_insert(conn, docs):  # type: ignore[no-untyped-def]
            if "人才" in docs[0][1].title:
                raise RuntimeError("lost the connection")
            insert(conn, docs)

        monkeypatch.setattr(lib.repo.index, "insert", failing_insert)
        report = lib.ingest([tmp_path])
        status = {Path(e.path).name: e.status for e in report.events}
        assert status == {"a.txt": "added", "b.pdf": "failed", "c.txt": "added", "d.txt": "failed",
                          "e.txt": "added"}
        assert "b.pdf" in report.failed[0].path and report.failed[0].message
        assert "not stored" in (report.failed[1].message or "")
        assert lib.count() == 3
        assert lib.search("人才集聚").total == 0
        monkeypatch.setattr(lib.repo.index, "insert", insert)
        retry = {Path(e.path).name: e.status for e in lib.ingest([tmp_path]).events}
        assert retry["d.txt"] == "added" and retry["a.txt"] == "unchanged"
    check_consistent(db_url)


def test_searches_run_while_an_ingest_writes(db_url: str, tmp_path: Path, corpus_dir: Path) -> None:
    tmp_path = tmp_path / "docs"
    tmp_path.mkdir()
    for copy in range(3):
        for path in sorted(corpus_dir.glob("*.txt")):
            shutil.copy(path, tmp_path / f"{copy}-{path.name}")
    writer, reader = open_library(db_url), open_library(db_url)
    errors: list[BaseException] = []
    done = threading.Event()

    def ingest() -> None:
        try:
            report = writer.ingest([tmp_path])
            assert not report.failed, report.failed
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=ingest)
    thread.start()
    totals, searches = [], 0
    try:
        while not done.is_set() or searches < 3:
            result = reader.search("企业 奖励", {"year": []})
            totals.append(result.total)
            reader.items("奖励")
            searches += 1
    finally:
        thread.join()
        writer.close()
    assert not errors, errors
    assert totals == sorted(totals) and totals[-1] > 0   # each search saw a committed state
    assert searches >= 3
    with reader:
        assert reader.count() == len(list(tmp_path.iterdir()))
    check_consistent(db_url)
