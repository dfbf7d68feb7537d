"""How long an interaction write holds the `I` id counter's row on PostgreSQL (docs/postgresql.md,
"Isolation"): every other writer of an interaction, on this server and on every other server of
the hub, waits for that row from the moment the write takes its id to its commit, so the write
runs as few statements as it can in between. A throwaway PostgreSQL (tests/pg_server.py) logs
every statement (`log_statement = all`) while `cxhub interaction add` runs; the test reads the
statements of that command's backend from the upsert of the counter to the COMMIT: the insert,
the audit entry (numbered and written in one statement) and the commit, nothing else — no
look-up of the new id on its own, no read of the users, no COPY of one audit row. The write
stays right: the id follows the counter, one audit entry, the audit log without a gap.

  cli_pg_counter_test.py PATH/TO/cxhub
"""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, check, run  # noqa: E402
from pg_server import PgServer  # noqa: E402

PG = None
URL = None
DBNAME = "counter"


def cx(*args, stdin=None):
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    p = subprocess.run([BIN, "--db", URL] + list(args), capture_output=True, text=True,
                       input=stdin, env=env, timeout=120)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


def sql(query):
    path = os.path.join(PG.bin, "psql")
    psql = path if os.access(path, os.X_OK) else shutil.which("psql")
    p = subprocess.run([psql, "-X", "-At", "-F", "\t", "-h", PG.dir, "-p", PG.env["PGPORT"],
                        "-U", PG.env["PGUSER"], "-d", DBNAME, "-c", query],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, (query, p.stderr)
    return [line.split("\t") for line in p.stdout.splitlines() if line]


def statements_of_log(text):
    """[(pid, statement)] of a server log written with log_line_prefix '[%p] '."""
    out = []
    for m in re.finditer(r"^\[(\d+)\] LOG:  (?:statement|execute [^:]*): (.*)$", text, re.M):
        out.append((m.group(1), m.group(2)))
    return out


def test_interaction_write_holds_the_id_counter_briefly():
    cx("init")
    cx("user", "add", "ada", "--role", "admin", "--name", "Ada Admin", "--password-stdin",
       stdin="counter password 1\n")
    cx("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors")
    cx("contact", "add", "--name", "Grace Okafor", "--account", "A-000001")
    cx("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes", "first")
    log = os.path.join(PG.dir, "server.log")
    sql("ALTER SYSTEM SET log_statement = 'all'")
    sql("ALTER SYSTEM SET log_line_prefix = '[%p] '")
    sql("SELECT pg_reload_conf()")
    time.sleep(0.5)
    start = os.path.getsize(log)
    cx("interaction", "add", "--contact", "C-000001", "--channel", "visit", "--notes", "second")
    sql("ALTER SYSTEM RESET log_statement")
    sql("SELECT pg_reload_conf()")
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        logged = statements_of_log(f.read())
    at = [k for k, (_, s) in enumerate(logged) if "INSERT INTO id_counters" in s and "'audit'"
          not in s]
    check(len(at) == 1, "the command took one id (one upsert of an id counter logged)",
          f"{len(at)} upserts")
    if len(at) != 1:
        return
    pid = logged[at[0]][0]
    held = []
    for p, s in logged[at[0] + 1:]:
        if p != pid:
            continue
        held.append(s)
        if s.strip().upper() == "COMMIT":
            break
    kinds = [re.sub(r"\s+", " ", s)[:40] for s in held]
    check(len(held) == 3 and held[0].startswith("INSERT INTO interactions") and
          "INSERT INTO audit" in held[1] and held[2].strip().upper() == "COMMIT",
          "from taking its id to its commit the write runs 3 statements: the insert, the audit "
          "entry, the commit", kinds)
    ids = [r[0] for r in sql("SELECT id FROM interactions ORDER BY id")]
    check(ids == ["I-000001", "I-000002"], "the ids follow the counter", ids)
    audit = sql("SELECT count(*) FROM audit WHERE entity = 'interaction' AND entity_id = "
                "'I-000002' AND action = 'create'")
    check(audit == [["1"]], "one audit entry for the interaction", audit)
    gap = sql("SELECT count(*), min(seq), max(seq) FROM audit")
    n, lo, hi = (int(v) for v in gap[0])
    check(lo == 1 and hi == n, "the audit log has no gap", gap)


def main():
    global PG, URL
    with PgServer() as server:
        PG = server
        URL = PG.createdb(DBNAME)
        run([test_interaction_write_holds_the_id_counter_briefly])


if __name__ == "__main__":
    main()
