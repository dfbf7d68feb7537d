"""Shared harness of the command-line scenario files (tests/cli*_test.py): a throwaway hub
driven through the real binary, a check() that records results, and run() that runs the
scenarios and exits non-zero when any check failed or a scenario raised.
Each scenario file is run by ctest as: cli_X_test.py PATH/TO/cxhub

The backend is SQLite unless CXHUB_TEST_BACKEND=postgresql: then one throwaway PostgreSQL
server (tests/pg_server.py) is started for the whole file, at its first Hub, and every Hub is a
new database on it, reached with `--db postgresql://…` (docs/postgresql.md, "Tests"). A scenario
about SQLite's files themselves is marked @sqlite_only("why"); on PostgreSQL it is not run, and
run() prints its name and reason first, so the list is never silent."""
import atexit
import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""
BACKEND = os.environ.get("CXHUB_TEST_BACKEND", "sqlite")
if BACKEND not in ("sqlite", "postgresql"):
    sys.exit(f"CXHUB_TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
PG = BACKEND == "postgresql"
results = []
_server = None  # the file's PostgreSQL server (PG only), started by the first Hub
_databases = 0
_session = None  # the open psql session of Hub.sql (PG only)
# The advisory lock every PostgreSQL write transaction holds (src/store/postgres/pg_store.cc).
PG_WRITE_LOCK = 0x6378687562


class SqlError(Exception):
    """A statement of Hub.sql() the database refused (either backend)."""


def pg_server():
    """The file's one PostgreSQL server, started on first use and stopped at exit (also on a
    runner's SIGTERM)."""
    global _server
    if _server is None:
        from pg_server import PgServer
        # First, so that a timeout's SIGTERM during the start still removes the folder.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda n, _f: sys.exit(128 + n))
        server = PgServer()
        atexit.register(server.stop)
        _server = server.start()
    return _server


def scratch(prefix="cxcli-"):
    """A new temporary folder, removed with everything in it when the test file ends (a suite
    run makes thousands: left behind they filled the disk). CXHUB_KEEP_SCRATCH=1 keeps them, to
    look at a failure's files."""
    folder = tempfile.mkdtemp(prefix=prefix)
    if not os.environ.get("CXHUB_KEEP_SCRATCH"):
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class Hub:
    """A new, empty hub: an SQLite file in a temporary folder, or (PG) a new database on the
    file's server. `url` is what `--db` takes; `db` is the SQLite file's path (None on PG: a
    scenario that reads the file itself is @sqlite_only). `dir` is a scratch folder either way."""

    def __init__(self):
        global _databases
        self.dir = scratch()
        if PG:
            _databases += 1
            self.db = None
            self.url = pg_server().createdb(f"hub{_databases}")
        else:
            self.db = os.path.join(self.dir, "hub.db")
            self.url = "sqlite:" + self.db

    def run(self, *args, stdin=None, user=None, env_extra=None):
        env = dict(os.environ)
        env.pop("CXHUB_DB", None)
        env.pop("CXHUB_USER", None)
        env.update(env_extra or {})
        cmd = [BIN, "--db", self.url]
        if user:
            cmd += ["--as", user]
        return subprocess.run(cmd + list(args), capture_output=True, text=True, input=stdin, cwd=self.dir, env=env,
                              timeout=300)

    def json(self, *args, user=None):
        p = self.run(*args, "--json", user=user)
        assert p.returncode == 0, (args, p.returncode, p.stderr)
        return json.loads(p.stdout)

    def sql(self, query, params=()):
        """Runs one statement on the hub's database, outside the binary (to look at what it
        stored, or to plant a state), committed at once; answers the rows as tuples. `?` marks
        a parameter on both backends. A refused statement raises SqlError."""
        return self.sql_many([(query, params)])[0]

    def sql_many(self, statements):
        """Hub.sql of several (query, params) at once, in one connection: a list of row lists.
        On PostgreSQL only queries (SELECT/WITH) may be given together."""
        if not PG:
            con = sqlite3.connect(self.db)
            try:
                out = [con.execute(q, p).fetchall() for q, p in statements]
                con.commit()
                return out
            except sqlite3.DatabaseError as e:
                raise SqlError(str(e)) from e
            finally:
                con.close()
        global _session
        if _session is None or _session.url != self.url:  # one open session at a time
            if _session:
                _session.close()
            _session = _Psql(self.url)
        return _session.run(statements)

    def count(self, table):
        return self.sql(f"SELECT COUNT(*) FROM {table}")[0][0]

    def created(self):
        """Whether anything of the hub exists yet: its SQLite file, or any table in its database."""
        return bool(self.tables()) if PG else os.path.exists(self.db)

    @contextlib.contextmanager
    def write_lock(self):
        """Holds the hub's write lock from another process for the `with` block, as a long
        load would: SQLite's reserved lock (BEGIN IMMEDIATE), or on PostgreSQL the hub's
        advisory write lock (docs/postgresql.md, "Isolation") taken by a psql session."""
        if not PG:
            holder = sqlite3.connect(self.db, timeout=10, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            return
        holder = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            holder.stdin.write(f"BEGIN; SELECT pg_advisory_xact_lock({PG_WRITE_LOCK}); SELECT 'held';\n")
            holder.stdin.flush()
            line = holder.stdout.readline()
            while line == "\n":  # the lock's own (void) row
                line = holder.stdout.readline()
            assert line.strip() == "held", f"psql did not take the write lock: {line!r}"
            yield
        finally:
            holder.stdin.close()  # psql ends; the server rolls back and frees the lock
            holder.wait(timeout=30)

    def tables(self):
        """The names of the hub's tables."""
        if PG:
            q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        else:
            q = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return {r[0] for r in self.sql(q)}


def _literal(v):
    """A value as a PostgreSQL literal (standard_conforming_strings: only ' is doubled)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


class _Psql:
    """Hub.sql_many on PostgreSQL through one psql session per hub (no client module needed;
    a psql per call would cost a connection per call): `?` places take quoted literals, and a
    query's rows travel as one line of JSON, so numbers stay numbers and NULL is None, as
    sqlite3 answers them. Each statement commits on its own."""

    def __init__(self, url):
        self.url = url
        self.p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-d", url], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.calls = 0
        atexit.register(self.close)

    def close(self):
        if self.p.poll() is None:
            self.p.stdin.close()
            self.p.wait(timeout=30)

    def run(self, statements):
        texts, selects = [], 0
        for query, params in statements:
            it = iter(params)
            try:
                text = re.sub(r"\?", lambda _m: _literal(next(it)), query)
            except StopIteration:
                raise SqlError(f"too few parameters for {query!r}") from None
            if next(it, it) is not it:
                raise SqlError(f"too many parameters for {query!r}")
            if text.lstrip().upper().startswith(("SELECT", "WITH")):
                selects += 1
                text = f"SELECT coalesce(array_to_json(array_agg(row_to_json(q))), '[]') FROM ({text}) q"
            texts.append(text + ";\n")
        if selects not in (0, len(statements)) or (not selects and len(statements) > 1):
            raise SqlError("Hub.sql_many takes queries only")
        self.calls += 1
        end = f"-- end of call {self.calls} --"
        self.p.stdin.write("".join(texts) + f"SELECT '{end}';\n")
        self.p.stdin.flush()
        rows, errors = [], []
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SqlError("psql ended: " + " ".join(errors))
            line = line.rstrip("\n")
            if line == end:
                break
            (rows if line.startswith("[") and not errors else errors).append(line)
        if errors:
            raise SqlError("\n".join(errors))
        if not selects:
            return [[]]
        assert len(rows) == selects, rows[:3]
        return [json.loads(r, object_pairs_hook=lambda kv: tuple(v for _k, v in kv)) for r in rows]


def sqlite_only(reason):
    """Marks a scenario about SQLite itself (its files, its pages, its locks): on PostgreSQL
    run() names it as not run, with the reason, instead of running it."""
    def mark(fn):
        fn.sqlite_only = reason
        return fn
    return mark


def check(ok, what, detail=""):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else f"  [{detail}]"))


def run(tests):
    """Runs each scenario (a crash is one failure, not an abort of the others), prints the
    tally and exits 0 only when every check passed. On PostgreSQL the @sqlite_only scenarios
    are listed first, by name and reason, and not run."""
    if not BIN or not os.access(BIN, os.X_OK):
        print(f"usage: {sys.argv[0]} PATH/TO/cxhub (got {BIN!r})")
        sys.exit(1)
    skipped = [t for t in tests if PG and getattr(t, "sqlite_only", None)]
    print(f"backend: {BACKEND}")
    for t in skipped:
        print(f"not run on PostgreSQL: {t.__name__} (about SQLite itself: {t.sqlite_only})")
    for t in tests:
        if t in skipped:
            continue
        try:
            t()
        except Exception as e:
            check(False, t.__name__ + " raised", repr(e))
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed"
          + (f", {len(skipped)} scenario(s) not run on PostgreSQL (listed above)" if skipped else ""))
    sys.exit(0 if results and all(results) else 1)
