"""`cxhub serve` as the scenario files start it: on a free port of 127.0.0.1, with requests made
to it over plain HTTP. Shared by every tests/cli*_test.py that talks to the server.

The server's stderr is its access log (one JSON object a line, the first one the `listening`
event with the URL). It is either read into `lines` by a thread (so the pipe never fills and a
test can look at what was logged), or, with log_path, written to that file (a long run that
must not hold its log in memory)."""
import http.client
import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse


class Serve:
    def __init__(self, bin_path, db_url, *extra, env_extra=None, log_path=None, timeout=20,
                 start_timeout=60):
        env = dict(os.environ)
        # The server must read only what the test gives it, not the runner's own settings.
        for name in ("CXHUB_DB", "CXHUB_USER", "CXHUB_CONFIG_DIR"):
            env.pop(name, None)
        env.update(env_extra or {})
        cmd = [bin_path, "--db", db_url, "serve", "--listen", "127.0.0.1:0", *extra]
        self.lines = []
        self.log_path = log_path
        self.timeout = timeout  # seconds a request may take, unless the call says otherwise
        self._logf = None
        if log_path:
            self._logf = open(log_path, "w")
            self.p = subprocess.Popen(cmd, stderr=self._logf, stdout=subprocess.DEVNULL, env=env)
            first = self._listening_line_in_file(start_timeout)
        else:
            self.p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      text=True, env=env)
            first = self.p.stderr.readline()
            threading.Thread(target=self._collect, daemon=True).start()
        try:
            ev = json.loads(first)
        except ValueError:
            ev = {}
        if ev.get("event") != "listening":
            time.sleep(0.2)  # let the reader take in what followed, for the message below
            raise AssertionError("the server did not start: " + first + "\n".join(self.log_lines()))
        self.url = ev["url"]
        self.host, port = self.url[len("http://"):].rsplit(":", 1)
        self.port = int(port)

    def _collect(self):
        for line in self.p.stderr:
            self.lines.append(line.rstrip("\n"))

    def _listening_line_in_file(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path) as f:
                for line in f:
                    if '"listening"' in line:
                        return line
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        return ""

    def log_lines(self):
        """The access log so far, one string a line."""
        if self.log_path:
            with open(self.log_path) as f:
                return [line.rstrip("\n") for line in f]
        return list(self.lines)

    def statuses(self):
        """The status of every request in the access log."""
        out = []
        for line in self.log_lines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if "status" in ev:
                out.append(int(ev["status"]))
        return out

    def conn(self, timeout=None):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.timeout)

    def request(self, method, path, body=None, headers=None, raw=None, form=None, conn=None,
                timeout=None):
        """(status, headers with lower-case names, the body's bytes). body is sent as JSON, form
        as application/x-www-form-urlencoded, raw as it is; conn keeps a connection open."""
        c = conn or self.conn(timeout)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read()
        if conn is None:
            c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, text

    def req(self, method, path, body=None, headers=None, **kw):
        """As request(), with the body parsed as JSON (None when empty or not JSON)."""
        status, h, text = self.request(method, path, body=body, headers=headers, **kw)
        try:
            j = json.loads(text) if text else None
        except ValueError:
            j = None
        return status, h, j

    def login(self, login, password):
        """POST /api/v1/session: (status, headers, JSON answer)."""
        return self.req("POST", "/api/v1/session", body={"login": login, "password": password})

    def session_cookie(self, login, password):
        """Logs in and returns the `cxhub_session=…` pair of the answer's Set-Cookie."""
        status, h, _ = self.login(login, password)
        assert status == 200, f"login of {login} answered {status}"
        return h.get("set-cookie", "").split(";")[0]

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the server and waits for it (killing it after timeout); its exit status."""
        self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        if self._logf:
            self._logf.close()
        return rc
