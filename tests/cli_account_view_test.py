"""GET /api/v1/accounts/{id} (docs/api.md, "The account view written as text"): the view comes back
as JSON that reads as the records hold them (quotes, control characters, any script), its ETag
lets the next edit through and refuses a stale one, and an account whose stored text is not
valid UTF-8 is still shown (the bad bytes replaced), never a failed answer.
Run: python3 tests/cli_account_view_test.py build/cxhub"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run, sqlite_only  # noqa: E402
from serve import Serve  # noqa: E402

AWKWARD = 'Said "call me" \\ back\tsoon\r\nÀdé Ọ̀kàfọ̀ 东京 😀 <script>x</script> \x01\x1f\x7f'


def make_hub():
    hub = Hub()
    assert hub.run("init").returncode == 0
    p = hub.run("user", "add", "mo.manager", "--role", "manager", "--password-stdin",
                stdin="a long pass 1\n")
    assert p.returncode == 0, p.stderr
    for args in (["account", "add", "--name", "Okafor \"Motors\" Ltd", "--id", "A-000001"],
                 ["contact", "add", "--name", "Ọlá Bello", "--account", "A-000001", "--id", "C-000001"],
                 ["interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes", AWKWARD]):
        p = hub.run(*args)
        assert p.returncode == 0, (args, p.stderr)
    p = hub.run("token", "create", "mo.manager")
    assert p.returncode == 0, p.stderr
    return hub, {"Authorization": "Bearer " + p.stdout.strip()}


def test_view_reads_back_and_its_etag_guards_edits():
    hub, auth = make_hub()
    srv = Serve(BIN, hub.url)
    try:
        st, h, j = srv.req("GET", "/api/v1/accounts/A-000001", headers=auth)
        check(st == 200, "the account view answers 200", st)
        check(j and j["name"] == 'Okafor "Motors" Ltd', "the name reads back with its quotes",
              j and j["name"])
        notes = [i["notes"] for i in (j or {}).get("interactions", [])]
        check(notes == [AWKWARD], "the notes read back as logged (controls, scripts, emoji)", notes)
        check(j and [c["full_name"] for c in j["contacts"]] == ["Ọlá Bello"], "the contact is listed")
        etag = h.get("etag", "")
        st, h2, _ = srv.req("PATCH", "/api/v1/accounts/A-000001", {"city": "Lagos"},
                            headers={**auth, "If-Match": etag})
        check(st == 200, "an edit with the view's ETag goes through", st)
        st, _, _ = srv.req("PATCH", "/api/v1/accounts/A-000001", {"city": "Abuja"},
                           headers={**auth, "If-Match": etag})
        check(st == 412, "an edit with the ETag from before that edit is stale (412)", st)
        st, h3, j3 = srv.req("GET", "/api/v1/accounts/A-000001", headers=auth)
        check(j3 and j3["city"] == "Lagos" and h3.get("etag") == h2.get("etag"),
              "the view shows the edit and the ETag the edit answered", (j3 and j3["city"], h3.get("etag")))
    finally:
        srv.stop()


@sqlite_only("planting text that is not UTF-8 needs the SQLite file (PostgreSQL refuses it)")
def test_invalid_utf8_in_a_stored_account_is_shown_replaced():
    hub, auth = make_hub()
    # As an old import or another tool might have left it: bytes that are not UTF-8.
    hub.sql("UPDATE accounts SET city = CAST(X'4C61676F73FF' AS TEXT) WHERE id = 'A-000001'")
    srv = Serve(BIN, hub.url)
    try:
        st, h, j = srv.req("GET", "/api/v1/accounts/A-000001", headers=auth)
        check(st == 200, "the account view answers 200, not a server error", st)
        city = (j or {}).get("city")
        check(city == "Lagos\ufffd", "the bad byte is shown as U+FFFD", city)
        st, _, _ = srv.req("PATCH", "/api/v1/accounts/A-000001", {"city": "Lagos"},
                           headers={**auth, "If-Match": h.get("etag", "")})
        check(st == 200, "its ETag lets the repair through", st)
    finally:
        srv.stop()


if __name__ == "__main__":
    run([test_view_reads_back_and_its_etag_guards_edits,
         test_invalid_utf8_in_a_stored_account_is_shown_replaced])
