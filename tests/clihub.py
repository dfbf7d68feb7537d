"""Shared harness of the command-line scenario files (tests/cli*_test.py): a throwaway hub
driven through the real binary, a check() that records results, and run() that runs the
scenarios and exits non-zero when any check failed or a scenario raised.
Each scenario file is run by ctest as: cli_X_test.py PATH/TO/cxhub"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""
results = []


class Hub:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cxcli-")
        self.db = os.path.join(self.dir, "hub.db")

    def run(self, *args, stdin=None, user=None):
        env = dict(os.environ)
        env.pop("CXHUB_DB", None)
        env.pop("CXHUB_USER", None)
        cmd = [BIN, "--db", "sqlite:" + self.db]
        if user:
            cmd += ["--as", user]
        return subprocess.run(cmd + list(args), capture_output=True, text=True, input=stdin, cwd=self.dir, env=env,
                              timeout=300)

    def json(self, *args, user=None):
        p = self.run(*args, "--json", user=user)
        assert p.returncode == 0, (args, p.returncode, p.stderr)
        return json.loads(p.stdout)

    def count(self, table):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            con.close()


def check(ok, what, detail=""):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else f"  [{detail}]"))



def run(tests):
    """Runs each scenario (a crash is one failure, not an abort of the others), prints the
    tally and exits 0 only when every check passed."""
    if not BIN or not os.access(BIN, os.X_OK):
        print(f"usage: {sys.argv[0]} PATH/TO/cxhub (got {BIN!r})")
        sys.exit(1)
    for t in tests:
        try:
            t()
        except Exception as e:
            check(False, t.__name__ + " raised", repr(e))
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if results and all(results) else 1)
