#!/usr/bin/env python3
"""Command-line scenarios for search on the demo hub: what a person typing a company's name
(with a typo) means comes first, and a contact's result names its company.
usage: cli_search_test.py PATH/TO/cxhub"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import Hub, check, run  # noqa: E402


_demo = None


def demo_hub():
    """One demo hub for every scenario: they only search and read it."""
    global _demo
    if _demo is None:
        h = Hub()
        check(h.run("init").returncode == 0, "init exits 0")
        p = h.run("demo", "--accounts", "2000", "--seed", "1")
        check(p.returncode == 0, "demo --accounts 2000 --seed 1 exits 0", p.stderr)
        _demo = h
    return _demo


def account_names(h):
    return dict(h.sql("SELECT id, name FROM accounts"))


def test_typo_finds_the_company_first():
    h = demo_hub()
    r = h.json("search", "okafor enginering")["results"]
    check(r and r[0]["kind"] == "account" and r[0]["name"] == "Okafor Engineering Ltd",
          "search 'okafor enginering' lists the account Okafor Engineering Ltd first", r[:3])
    check(all(set(x) >= {"kind", "id", "name", "score"} for x in r), "each result has kind, id, name, score")
    check(all(r[i]["score"] >= r[i + 1]["score"] for i in range(len(r) - 1)), "results are best first",
          [x["score"] for x in r])
    kinds = {x["kind"] for x in r}
    check(kinds == {"account", "contact"}, "the default 20 results hold accounts and contacts", kinds)
    accounts = [x for x in r if x["kind"] == "account"]
    check(len(accounts) > 1, "more accounts than the first within the default limit", len(accounts))


def test_contacts_name_their_company():
    h = demo_hub()
    names = account_names(h)
    r = h.json("search", "bola okafor")["results"]
    contacts = [x for x in r if x["kind"] == "contact"]
    check(contacts, "search 'bola okafor' finds contacts", r[:3])
    check(all(x.get("account_id") in names and x.get("account_name") == names[x["account_id"]] for x in contacts),
          "each contact result carries its account_id and that account's account_name", contacts[:2])
    check(all("account_id" not in x for x in r if x["kind"] == "account"), "an account result has no account_id")
    shown = h.json("contact", "show", contacts[0]["id"]) if contacts else {}
    check(shown.get("account_id") == (contacts[0]["account_id"] if contacts else None),
          "the account_id is the contact's own account", shown.get("account_id"))
    p = h.run("search", "bola okafor")
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("contact")]
    check(p.returncode == 0 and lines, "text search lists contacts", p.stdout[:300])
    first = contacts[0] if contacts else {"id": "?", "account_name": "?", "account_id": "?"}
    line = next((ln for ln in lines if first["id"] in ln), "")
    check(first["account_name"] in line and first["account_id"] in line,
          "the text output shows the contact's company", line)


def test_email_and_phone_as_typed():
    h = demo_hub()
    cid, email, phone = h.sql("SELECT id, email, phone FROM contacts ORDER BY id LIMIT 1")[0]
    r = h.json("search", email[: email.index("@") + 1])["results"]
    check(any(x["id"] == cid for x in r), "the start of an email address finds its contact", (email, r[:3]))
    r = h.json("search", phone)["results"]
    check(r and r[0]["id"] == cid, "a whole phone number finds its contact first", (phone, r[:3]))
    typed = phone[:-2]  # "+234 807 000 00": the number as typed so far
    r = h.json("search", typed)["results"]
    check(any(x["id"] == cid for x in r), "the start of a phone number finds its contact", (typed, r[:3]))


if __name__ == "__main__":
    run([test_typo_finds_the_company_first, test_contacts_name_their_company, test_email_and_phone_as_typed])
