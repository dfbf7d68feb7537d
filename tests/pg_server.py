#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the tests (docs/postgresql.md, "Tests").

`with PgServer() as pg:` makes a data folder and a Unix socket in a new temporary folder
(initdb, then pg_ctl start), creates the database `cxhub`, and stops the server and removes the
folder afterwards, even when the test fails. PostgreSQL refuses to run as root: under root (CI)
the server runs as an unprivileged user (`nobody`, or $CXHUB_PG_USER) and the folder is given to
it. A server that cannot start raises PgServerError with its log: a test never skips.

    python3 tests/pg_server.py run -- CMD ARGS…

starts a server, runs CMD with CXHUB_TEST_STORE_URL set to the database's URL (and PGHOST,
PGPORT, PGUSER, PGDATABASE), stops the server and exits with CMD's status.

$CXHUB_PG_SERVER_OPTS adds server options (`-c name=value …`) after the tests' own, which it
may override (a benchmark's shared_buffers).

The binaries are found in $CXHUB_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian's
postgresql package), else on PATH.
"""
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse

DB = "cxhub"
ROLE = "cxhub"
PORT = 5432  # on the folder's own socket: no clash with any other server


class PgServerError(RuntimeError):
    pass


def bin_dir():
    env = os.environ.get("CXHUB_PG_BIN")
    if env:
        return env
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    raise PgServerError(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: run "
        "`bash scripts/deps.sh test` (Debian package postgresql) or set CXHUB_PG_BIN")


class PgServer:
    """A PostgreSQL server in a temporary folder, on a Unix socket only."""

    def __init__(self):
        self.bin = bin_dir()
        self.dir = None
        self.proc_user = None
        self.prefix = []
        self.url = None
        self.env = {}

    # The command prefix that runs a server binary as the unprivileged user (root only).
    def _as_user(self):
        if os.geteuid() != 0:
            return []
        name = os.environ.get("CXHUB_PG_USER", "nobody")
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            raise PgServerError(f"no user '{name}' to run PostgreSQL as (root may not): "
                                "set CXHUB_PG_USER to an unprivileged user")
        self.proc_user = pw
        setpriv = shutil.which("setpriv")
        if setpriv:
            return [setpriv, f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"]
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", name, "--"]
        raise PgServerError("neither setpriv nor runuser is installed to drop root for PostgreSQL")

    def _run(self, args, what):
        env = dict(os.environ, LC_ALL="C", LANG="C")
        env.pop("PGDATA", None)
        r = subprocess.run(self.prefix + args, capture_output=True, text=True, env=env,
                           cwd=self.dir)
        if r.returncode != 0:
            log = ""
            logfile = os.path.join(self.dir, "server.log")
            if os.path.exists(logfile):
                with open(logfile, errors="replace") as f:
                    log = f.read()[-4000:]
            raise PgServerError(f"{what} failed (exit {r.returncode}):\n{r.stdout}{r.stderr}\n"
                                f"{log}")
        return r

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="cxpg-")
        try:
            self.prefix = self._as_user()
            if self.proc_user:
                os.chown(self.dir, self.proc_user.pw_uid, self.proc_user.pw_gid)
            os.chmod(self.dir, 0o755)  # the socket is reached by the test's own user
            data = os.path.join(self.dir, "data")
            self._run([os.path.join(self.bin, "initdb"), "-D", data, "-U", ROLE,
                       "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"], "initdb")
            # Durability off: the data dies with the test. Loopback TCP off: only the socket.
            opts = (f"-k {self.dir} -p {PORT} -c listen_addresses='' -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=60 -c shared_buffers=64MB")
            # A benchmark may size the server as production would (say, shared_buffers=1GB).
            opts += " " + os.environ.get("CXHUB_PG_SERVER_OPTS", "")
            self._run([os.path.join(self.bin, "pg_ctl"), "-D", data, "-l",
                       os.path.join(self.dir, "server.log"), "-o", opts, "-w", "-t", "60",
                       "start"], "pg_ctl start")
            self.env = {"PGHOST": self.dir, "PGPORT": str(PORT), "PGUSER": ROLE,
                        "PGDATABASE": DB}
            self._run([os.path.join(self.bin, "createdb"), "-h", self.dir, "-p", str(PORT),
                       "-U", ROLE, DB], "createdb")
            self.url = self.url_of(DB)
        except BaseException:
            self.stop()
            raise
        return self

    def url_of(self, db):
        """The URL of database `db` on this server (the socket folder as the host)."""
        host = urllib.parse.quote(self.dir, safe="")
        return f"postgresql://{ROLE}@{host}:{PORT}/{db}"

    def createdb(self, db):
        """Creates an empty database `db` and returns its URL."""
        self._run([os.path.join(self.bin, "createdb"), "-h", self.dir, "-p", str(PORT),
                   "-U", ROLE, db], "createdb " + db)
        return self.url_of(db)

    def stop(self):
        if not self.dir:
            return
        data = os.path.join(self.dir, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(self.prefix + [os.path.join(self.bin, "pg_ctl"), "-D", data, "-m",
                                          "immediate", "-w", "stop"],
                           capture_output=True, cwd=self.dir)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def main(argv):
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        print("usage: pg_server.py run -- CMD [ARGS…]", file=sys.stderr)
        return 2
    cmd = argv[argv.index("--") + 1:]
    if not cmd:
        print("pg_server.py: no command to run", file=sys.stderr)
        return 2
    # A test runner's timeout (SIGTERM) or ^C still stops the server and removes its folder.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda n, _f: sys.exit(128 + n))
    try:
        with PgServer() as pg:
            env = dict(os.environ, CXHUB_TEST_STORE_URL=pg.url, **pg.env)
            print(f"pg_server.py: PostgreSQL at {pg.url}", file=sys.stderr, flush=True)
            return subprocess.run(cmd, env=env).returncode
    except PgServerError as e:
        print(f"pg_server.py: FAIL: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
