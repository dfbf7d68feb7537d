"""The command line on PostgreSQL (docs/postgresql.md): the same commands, run on a new SQLite hub
and on a new hub in a throwaway PostgreSQL server (tests/pg_server.py), give the same answers;
a server database without a hub is refused as a missing file is; `serve` on PostgreSQL signs a
user in and keeps the session in the database, so a second server on the same hub knows it."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402
from serve import Serve  # noqa: E402
from pg_server import PgServer  # noqa: E402

PASSWORD = "correct horse battery staple"
PG = None  # the server, started by main()


class UrlHub(Hub):
    """A hub at any URL (clihub's Hub is an SQLite file)."""

    def __init__(self, url):
        super().__init__()
        self.url = url

    def run(self, *args, stdin=None, user=None):
        env = dict(os.environ)
        env.pop("CXHUB_DB", None)
        env.pop("CXHUB_USER", None)
        cmd = [BIN, "--db", self.url]
        if user:
            cmd += ["--as", user]
        return subprocess.run(cmd + list(args), capture_output=True, text=True, input=stdin,
                              cwd=self.dir, env=env, timeout=300)


# Times differ from one run to the next: the answers are compared without them.
TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?")


def same_text(p, hub):
    """The answer without its times and without the hub's own URL (`init` names it)."""
    def norm(text):
        return TIME.sub("<time>", text.replace(hub, "<hub>"))
    return (p.returncode, norm(p.stdout), norm(p.stderr))


# The scenario: what a first day on a new hub does, with the answers that must match.
STEPS = [
    ("init",),
    ("user", "add", "ada.admin", "--role", "admin", "--name", "Ada Admin", "--password-stdin"),
    ("user", "add", "sam.sales", "--role", "sales", "--division", "Motors", "--name",
     "Sam Sales", "--password-stdin"),
    ("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors", "--phone",
     "0803 123 4567", "--json"),
    ("account", "add", "--name", "Zenith Medical Supplies", "--division", "Medical", "--city",
     "Lagos", "--field", "Tier=gold", "--json"),
    ("account", "add", "--name", "Okafor Motors Limited", "--division", "Motors"),  # duplicate
    ("account", "edit", "A-000002", "--city", "Abuja", "--reason", "moved", "--json"),
    ("contact", "add", "--name", "Ada Obi", "--account", "A-000001", "--email",
     "ada@okafor.example", "--json"),
    ("contact", "add", "--name", "Bola Ade", "--account", "A-000002", "--json"),
    ("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes",
     "first call", "--date", "2026-03-02 10:00", "--json"),
    ("interaction", "add", "--contact", "C-000002", "--channel", "visit", "--notes",
     "site visit", "--date", "2026-03-03 11:30"),
    ("account", "show", "A-000001", "--json"),
    ("account", "show", "A-000002"),
    ("account", "list", "--json"),
    ("search", "okafor", "--json"),
    ("search", "zenit medcal"),
    ("search", "ada obi", "--json"),
    ("account", "show", "A-999999"),
    ("audit", "--json"),
]


def test_the_same_commands_give_the_same_answers():
    sq = Hub()
    pg = UrlHub(PG.createdb("cli_same"))
    sq_url = "sqlite:" + sq.db
    for step in STEPS:
        stdin = PASSWORD + "\n" if "--password-stdin" in step else None
        a, b = sq.run(*step, stdin=stdin), pg.run(*step, stdin=stdin)
        want, got = same_text(a, sq_url), same_text(b, pg.url)
        check(want == got, "PostgreSQL answers `" + " ".join(step) + "` as SQLite does",
              f"sqlite={want!r} postgresql={got!r}"[:1500])
    p = pg.run("token", "create", "sam.sales")
    check(p.returncode == 0 and len(p.stdout.strip()) >= 32,
          "token create prints a token on PostgreSQL", (p.returncode, p.stderr))


def test_a_database_without_a_hub_is_refused_and_left_empty():
    h = UrlHub(PG.createdb("cli_nohub"))
    p = h.run("account", "list")
    check(p.returncode == 2 and "no hub in the database" in p.stderr and "cxhub init" in p.stderr,
          "a command on a database without a hub says so (exit 2)", (p.returncode, p.stderr))
    p = h.run("init")
    check(p.returncode == 0, "init makes the hub", p.stderr)
    p = h.run("account", "list", "--json")
    check(p.returncode == 0 and json.loads(p.stdout) == {"accounts": []},
          "after init the hub answers", (p.returncode, p.stdout, p.stderr))
    p = UrlHub("postgresql://nobody@127.0.0.1:1/none?connect_timeout=3").run("account", "list")
    check(p.returncode == 1 and "cannot connect to the PostgreSQL hub 127.0.0.1:1/none"
          in p.stderr, "an unreachable server is named", (p.returncode, p.stderr))


def test_backup_points_to_pg_dump():
    h = UrlHub(PG.createdb("cli_backup"))
    h.run("init")
    out = os.path.join(h.dir, "copy.db")
    p = h.run("backup", out)
    check(p.returncode == 2 and "pg_dump" in p.stderr and not os.path.exists(out),
          "backup of a PostgreSQL hub refuses, pointing to pg_dump, and writes nothing",
          (p.returncode, p.stderr))


def test_serve_signs_in_and_a_second_server_knows_the_session():
    url = PG.createdb("cli_serve")
    h = UrlHub(url)
    for step in STEPS[:4]:
        p = h.run(*step, stdin=PASSWORD + "\n" if "--password-stdin" in step else None)
        assert p.returncode == 0, (step, p.stderr)
    one, two = Serve(BIN, url), Serve(BIN, url)
    try:
        st, hd, j = one.req("POST", "/api/v1/session", {"login": "sam.sales", "password": PASSWORD})
        check(st == 200 and j["login"] == "sam.sales" and j["role"] == "sales"
              and "cxhub_session=" in hd.get("set-cookie", ""),
              "serve on PostgreSQL signs a user in", (st, j))
        cookie = hd["set-cookie"].split(";")[0]
        st, _, j = two.req("GET", "/api/v1/search?q=okafor&limit=5", headers={"Cookie": cookie})
        check(st == 200 and j and any(r.get("id") == "A-000001" for r in j.get("results", [])),
              "a second server on the same hub knows the session and answers", (st, j))
        st, _, j = one.req("POST", "/api/v1/session", {"login": "sam.sales", "password": "wrong"})
        check(st == 401, "a wrong password gets 401", (st, j))
    finally:
        one.stop()
        two.stop()


def main():
    global PG
    with PgServer() as server:
        PG = server
        run([test_the_same_commands_give_the_same_answers,
             test_a_database_without_a_hub_is_refused_and_left_empty,
             test_backup_points_to_pg_dump,
             test_serve_signs_in_and_a_second_server_knows_the_session])


if __name__ == "__main__":
    main()
