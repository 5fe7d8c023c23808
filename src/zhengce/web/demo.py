"""A demo portal for screenshots, browser tests and the bench: the bundled corpus in a
fresh library, an officer account, one evaluation and one application, served by uvicorn
in a background thread on 127.0.0.1.

    python -m zhengce.web.demo corpus      # serve it until Ctrl-C, printing the URL
"""
from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from zhengce.web.app import create_app
from zhengce.web.auth import hash_password

OFFICER = ("demo", "demo-password-2026")


@dataclass(frozen=True, slots=True)
class Demo:
    url: str                 # http://127.0.0.1:<port>
    db: str                  # the library's database URL
    policy_id: int           # the policy to show: weihai (the reference page) when present
    application_ref: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(folder: Path, corpus: Sequence[str | Path]) -> tuple[str, int, str]:
    """A library in `folder` from `corpus`, with demo officer, evaluation and application."""
    from sqlalchemy import text

    db = f"sqlite:///{folder / 'demo.db'}"
    app = create_app(db, corpus=corpus)
    with app.state.library.repo.reading() as conn:
        # The reference portal's page (weihai) when the corpus has it, else the policy with most items.
        pid = int(conn.execute(text("SELECT id FROM policies ORDER BY key LIKE '%weihai-2021%' DESC,"
                                    " n_items DESC, id LIMIT 1")).scalar_one())
    store = app.state.store
    store.add_officer(OFFICER[0], hash_password(OFFICER[1]))
    eid = store.add_evaluation(pid, 5, "条款清楚，金额明确", "希望增加申报材料清单。\n办理很方便。", "demo")
    store.add_evaluation(pid, 3, "等待审核的评价", "这条评价还没有审核。", "demo")
    store.moderate(eid, "approved", OFFICER[0])
    ref = store.add_application(pid, 0, "威海示例科技有限公司", "0631-0000000", {"示例条件": True}, "示例申报")
    app.state.library.close()
    return db, pid, ref


@contextmanager
def serving(corpus: Sequence[str | Path], port: int | None = None, folder: Path | None = None) -> Iterator[Demo]:
    """Build the demo and serve it until the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        where = folder or Path(tmp)
        db, pid, ref = build(where, corpus)
        port = port or free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the demo server did not start")
            time.sleep(0.05)
        try:
            yield Demo(f"http://127.0.0.1:{port}", db, pid, ref)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def main(argv: Sequence[str]) -> int:
    corpus = list(argv) or ["corpus"]
    with serving(corpus, port=8000) as demo:
        print(f"demo portal at {demo.url} (officer {OFFICER[0]} / {OFFICER[1]}); Ctrl-C to stop", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
