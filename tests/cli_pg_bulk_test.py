"""A first load into a PostgreSQL hub (docs/postgresql.md, "Bulk loads"; docs/operations.md,
"A first load on PostgreSQL"): the load drops the loaded tables' secondary indexes and builds
them again before its commit, all in its transaction. Checked on a throwaway server
(tests/pg_server.py) with the real binary:
- while the load runs it holds the table's ACCESS EXCLUSIVE lock, and a reader on another
  connection waits for it, then sees every row; the catalog never shows the table without its
  indexes; after the commit every index of the schema is back, with the same definition, valid;
- a load killed while its indexes are dropped leaves the hub as it was (no account, every
  index and trigger as before), and the same file loads afterwards;
- a load of many times what the table holds, into a table that is not empty (a first ERP sync
  on top of an imported workbook), keeps the indexes: readers on other connections never wait.
The load is held in the middle by a row lock on the audit log's counter (another connection),
which the load waits for when it numbers its first run of audit entries.
usage: cli_pg_bulk_test.py PATH/TO/cxhub"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import check, run  # noqa: E402
from cli_pg_test import UrlHub  # noqa: E402
from pg_server import PgServer, bin_dir  # noqa: E402

PG = None  # the server, started by main()
ROWS = 6000  # over one run of audit entries (5,000), so that one is numbered mid-load
HEADER = "ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last Modified\n"


def psql_cmd(url):
    return [os.path.join(bin_dir(), "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url]


def query(url, sql):
    """One statement's rows, as lists of text fields."""
    p = subprocess.run(psql_cmd(url) + ["-F", "\t", "-c", sql], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, (sql, p.stderr)
    return [line.split("\t") for line in p.stdout.splitlines() if line]


def customers_file(hub, rows=ROWS, start=0, name="customers.csv", modified="2026-01-05 10:00"):
    path = os.path.join(hub.dir, name)
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(start, start + rows):
            f.write(f"E{i:06d},Nordic Trading {i} Ltd,Trade,Motors,+23480{i:08d},c{i}@example.ng,"
                    f"{i} Marina Road,Lagos,active,{modified}\n")
    return path


def schema(url):
    """Every index of the hub's tables with its definition, and every trigger's state."""
    idx = query(url, "SELECT tablename || '.' || indexname, indexdef FROM pg_indexes WHERE "
                     "schemaname = current_schema() ORDER BY 1")
    trg = query(url, "SELECT tgrelid::regclass || '.' || tgname, tgenabled FROM pg_trigger WHERE NOT "
                     "tgisinternal ORDER BY 1")
    return {k: v for k, v in idx}, {k: v for k, v in trg}


def index_names(url):
    """The names of the hub's indexes, read from the catalog alone (pg_get_indexdef would wait
    for a table's lock like any reader of it)."""
    return {r[0] for r in query(url, "SELECT t.relname || '.' || c.relname FROM pg_index i JOIN "
                                     "pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = "
                                     "i.indrelid WHERE t.relnamespace = current_schema()::regnamespace")}


def invalid_indexes(url):
    return query(url, "SELECT i.indexrelid::regclass FROM pg_index i JOIN pg_class c ON c.oid = "
                      "i.indrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT "
                      "(i.indisvalid AND i.indisready AND i.indislive)")


def hold_audit_counter(url):
    """A psql session holding the audit counter's row locked (until its stdin closes)."""
    holder = subprocess.Popen(psql_cmd(url), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN; INSERT INTO id_counters (prefix, next) VALUES ('audit', 0) ON CONFLICT "
                       "(prefix) DO UPDATE SET next = id_counters.next; SELECT 'held';\n")
    holder.stdin.flush()
    line = holder.stdout.readline()
    assert line.strip() == "held", line
    return holder


def release(holder):
    holder.stdin.write("COMMIT;\n")
    holder.stdin.close()
    holder.wait(timeout=30)


def wait_held(url, sync):
    """Waits until the load waits for the counter: answers the lock modes its backend holds on
    accounts then (empty when the load ended or never waited)."""
    deadline = time.time() + 120
    while time.time() < deadline and sync.poll() is None:
        rows = query(url, "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() "
                          "AND a.pid <> pg_backend_pid() AND a.wait_event_type = 'Lock' AND "
                          "a.query LIKE '%id_counters%'")
        if rows:
            pid = rows[0][0]
            return [r[0] for r in query(url, "SELECT mode FROM pg_locks WHERE granted AND pid = "
                                             f"{pid} AND relation = 'accounts'::regclass ORDER BY 1")]
        time.sleep(0.05)
    return []


HUBS = [0]


def new_hub():
    HUBS[0] += 1
    hub = UrlHub(PG.createdb(f"bulk{HUBS[0]}"))
    p = hub.run("init")
    assert p.returncode == 0, p.stderr
    return hub


def start_sync(hub, path):
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    return subprocess.Popen([sys.argv[1], "--db", hub.url, "erp-sync", "customers", path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def start_held_first_load():
    """A new hub's first sync of ROWS customers, started while another connection holds the
    audit counter (so the load stops mid-way), with the hub's indexes and triggers before it."""
    hub = new_hub()
    path = customers_file(hub)
    indexes, triggers = schema(hub.url)
    holder = hold_audit_counter(hub.url)
    return hub, path, indexes, triggers, holder, start_sync(hub, path)


def test_first_load_keeps_every_index():
    hub, path, indexes, triggers, holder, sync = start_held_first_load()
    try:
        modes = wait_held(hub.url, sync)
        check("AccessExclusiveLock" in modes,
              "a first load holds the accounts table to itself while its indexes are away", modes)
        during = index_names(hub.url)
        check(during == set(indexes), "another connection's catalog still shows every index mid-load",
              sorted(set(indexes) ^ during))
        reader = subprocess.Popen(psql_cmd(hub.url) + ["-c", "SELECT count(*) FROM accounts WHERE "
                                                       "name_key <> ''"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        check(reader.poll() is None, "a reader of accounts on another connection waits for the load")
    finally:
        release(holder)
    out, err = sync.communicate(timeout=300)
    check(sync.returncode == 0 and f"{ROWS} created" in out, "the load then ends and commits", err)
    r_out, r_err = reader.communicate(timeout=60)
    check(reader.returncode == 0 and r_out.strip() == str(ROWS),
          "the reader, let through at the commit, sees every loaded account", (r_out, r_err))
    after, triggers_after = schema(hub.url)
    check(after == indexes, "every index of the schema is back with its definition",
          sorted(set(indexes) ^ set(after)))
    check(triggers_after == triggers, "every trigger is as before")
    check(invalid_indexes(hub.url) == [], "every index is valid and ready (pg_index)",
          invalid_indexes(hub.url))
    plan = "\n".join(r[0] for r in query(
        hub.url, "SET enable_seqscan = off; EXPLAIN SELECT id FROM accounts WHERE name_key = 'x'"))
    check("accounts_name_key" in plan, "a look-up by name key reads the rebuilt index", plan)
    found = hub.run("search", "Nordic Trading 4711", "--json")
    check(found.returncode == 0 and "Nordic Trading 4711 Ltd" in found.stdout, "search finds a loaded account",
          found.stderr)


def test_killed_first_load_leaves_hub_as_before():
    hub, path, indexes, triggers, holder, sync = start_held_first_load()
    try:
        modes = wait_held(hub.url, sync)
        check("AccessExclusiveLock" in modes, "the load is stopped while its indexes are away", modes)
        sync.send_signal(signal.SIGKILL)
        sync.wait(timeout=30)
    finally:
        release(holder)
    # The server ends the load's transaction when it finds its client gone.
    deadline = time.time() + 60
    while time.time() < deadline and query(
            hub.url, "SELECT 1 FROM pg_locks WHERE relation = 'accounts'::regclass AND pid <> "
                     "pg_backend_pid()"):
        time.sleep(0.1)
    check(query(hub.url, "SELECT count(*) FROM accounts") == [["0"]], "no account of the killed load stays")
    after, triggers_after = schema(hub.url)
    check(after == indexes, "every index is as before the killed load", sorted(set(indexes) ^ set(after)))
    check(triggers_after == triggers, "every trigger is as before the killed load")
    check(invalid_indexes(hub.url) == [], "every index is valid (pg_index)")
    p = hub.run("erp-sync", "customers", path)
    check(p.returncode == 0 and f"{ROWS} created" in p.stdout, "the same file then loads whole", p.stderr)
    check(query(hub.url, "SELECT count(*) FROM audit WHERE entity = 'account'") == [[str(ROWS)]],
          "with one audit entry per account")


def test_load_into_a_table_in_use_keeps_its_readers():
    hub = new_hub()
    few = customers_file(hub, rows=100, start=900000, name="few.csv", modified="2026-01-04 09:00")
    p = hub.run("erp-sync", "customers", few)
    assert p.returncode == 0, p.stderr
    path = customers_file(hub)  # 60 times what the table holds
    holder = hold_audit_counter(hub.url)
    sync = start_sync(hub, path)
    try:
        modes = wait_held(hub.url, sync)
        check(modes and "AccessExclusiveLock" not in modes,
              "a big load into a table people use does not take it for itself", modes)
        reader = subprocess.run(psql_cmd(hub.url) + ["-c", "SELECT count(*) FROM accounts WHERE "
                                                     "name_key <> ''"],
                                capture_output=True, text=True, timeout=20)
        check(reader.returncode == 0 and reader.stdout.strip() == "100",
              "a reader on another connection is answered at once, from the hub as it was",
              (reader.stdout, reader.stderr))
    finally:
        release(holder)
    out, err = sync.communicate(timeout=300)
    check(sync.returncode == 0 and f"{ROWS} created" in out, "the load then ends and commits",
          (sync.returncode, out, err))


def main():
    global PG
    with PgServer() as pg:
        PG = pg
        run([test_first_load_keeps_every_index, test_killed_first_load_leaves_hub_as_before,
             test_load_into_a_table_in_use_keeps_its_readers])


if __name__ == "__main__":
    main()
