-- 0008: the days each account was active, kept for the complaint rate's denominator ("accounts
-- with an interaction or order in the period", docs/kpi.md). Counting those distinct accounts
-- from the facts reads every interaction and order of the period; these tables answer it from a
-- few thousand rows. docs/kpi.md explains the scheme.
--
-- The same scheme answers the repeat customer rate: customers (ERP Customer IDs) with an order
-- of a division in the period, and those with a "return" in it (an order whose previous order of
-- the division, strictly earlier, is at most 183 days before it).
--
-- kpi_activity: per series and subject, the sorted local days (days since 1970-01-01 in the zone
-- of kpi_activity_state) with a fact, as varint deltas. Series: a division or '*' (every division
-- together) for accounts (account_id holds an account id); 'orders/' or 'returns/' and a
-- division for customers (account_id holds an ERP Customer ID).
CREATE TABLE kpi_activity (
  series TEXT NOT NULL,
  account_id TEXT NOT NULL,
  days BLOB NOT NULL,
  PRIMARY KEY (series, account_id)
) WITHOUT ROWID;
CREATE INDEX kpi_activity_account ON kpi_activity(account_id);
-- How many (account, active day) pairs of a series have this day and this previous active day
-- (-1000000000 when none). The accounts active in days [L, R] are exactly those with a pair whose
-- day is in [L, R] and whose previous day is before L: one pair each.
CREATE TABLE kpi_activity_firsts (
  series TEXT NOT NULL,
  day INTEGER NOT NULL,
  prev INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (series, day, prev)
) WITHOUT ROWID;
-- Accounts and customers whose facts changed since the tables were brought up to date, appended
-- by the triggers below (repeats allowed: an append is the cheapest write, and a statement that
-- fires a trigger can override the trigger's own conflict clause, so no constraint is relied on).
CREATE TABLE kpi_activity_dirty (account_id TEXT);
CREATE TABLE kpi_customer_dirty (erp_customer_id TEXT);
-- zone: the zone of the days ('' before the first build); stale: 1 when everything must be
-- rebuilt (a bulk load drops the triggers below and sets it).
CREATE TABLE kpi_activity_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  zone TEXT NOT NULL,
  stale INTEGER NOT NULL
);
INSERT INTO kpi_activity_state(id, zone, stale) VALUES (1, '', 1);

CREATE TRIGGER kpi_activity_interaction_insert AFTER INSERT ON interactions BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT account_id FROM contacts WHERE id = NEW.contact_id AND account_id IS NOT NULL;
END;
CREATE TRIGGER kpi_activity_interaction_delete AFTER DELETE ON interactions BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT account_id FROM contacts WHERE id = OLD.contact_id AND account_id IS NOT NULL;
END;
CREATE TRIGGER kpi_activity_interaction_update AFTER UPDATE OF contact_id, at, division
ON interactions BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT account_id FROM contacts
    WHERE id IN (OLD.contact_id, NEW.contact_id) AND account_id IS NOT NULL;
END;
CREATE TRIGGER kpi_activity_contact_insert AFTER INSERT ON contacts
WHEN NEW.account_id IS NOT NULL BEGIN
  INSERT INTO kpi_activity_dirty VALUES (NEW.account_id);
END;
CREATE TRIGGER kpi_activity_contact_delete AFTER DELETE ON contacts
WHEN OLD.account_id IS NOT NULL BEGIN
  INSERT INTO kpi_activity_dirty VALUES (OLD.account_id);
END;
CREATE TRIGGER kpi_activity_contact_update AFTER UPDATE OF account_id ON contacts BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT value FROM (SELECT OLD.account_id AS value UNION SELECT NEW.account_id)
    WHERE value IS NOT NULL;
END;
CREATE TRIGGER kpi_activity_order_insert AFTER INSERT ON orders BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT id FROM accounts WHERE erp_customer_id = NEW.erp_customer_id;
  INSERT INTO kpi_customer_dirty VALUES (NEW.erp_customer_id);
END;
CREATE TRIGGER kpi_activity_order_delete AFTER DELETE ON orders BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT id FROM accounts WHERE erp_customer_id = OLD.erp_customer_id;
  INSERT INTO kpi_customer_dirty VALUES (OLD.erp_customer_id);
END;
CREATE TRIGGER kpi_activity_order_update AFTER UPDATE OF erp_customer_id, date, division
ON orders BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT id FROM accounts WHERE erp_customer_id IN (OLD.erp_customer_id, NEW.erp_customer_id);
  INSERT INTO kpi_customer_dirty
    SELECT value FROM (SELECT OLD.erp_customer_id AS value UNION SELECT NEW.erp_customer_id);
END;
CREATE TRIGGER kpi_activity_account_insert AFTER INSERT ON accounts
WHEN NEW.erp_customer_id IS NOT NULL BEGIN
  INSERT INTO kpi_activity_dirty VALUES (NEW.id);
END;
CREATE TRIGGER kpi_activity_account_update AFTER UPDATE OF id, erp_customer_id ON accounts BEGIN
  INSERT INTO kpi_activity_dirty
    SELECT value FROM (SELECT OLD.id AS value UNION SELECT NEW.id);
END;
CREATE TRIGGER kpi_activity_account_delete AFTER DELETE ON accounts BEGIN
  INSERT INTO kpi_activity_dirty VALUES (OLD.id);
END;
