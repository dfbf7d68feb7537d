-- 0008 (PostgreSQL): the aggregate of active days (docs/kpi.md), which answers "how many accounts
-- were active in a period" (the complaint rate's denominator) and the repeat customer rate
-- without reading the period's facts. Its rules are store/logic/activity_days.h's; only the
-- storage is PostgreSQL's own (docs/postgresql.md "KPI facts").
--
-- kpi_activity: per series and subject, the sorted local days with a fact, encoded as the shared
-- rules encode them (bytea). Series: a division or '*' for accounts; 'orders/D' and 'returns/D'
-- for the customers (ERP Customer IDs) of division D. Ids compare as bytes (COLLATE "C"), as
-- the SQLite store orders them.
CREATE TABLE kpi_activity (
  series text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  days bytea NOT NULL,
  PRIMARY KEY (series, account_id)
);
CREATE INDEX kpi_activity_account ON kpi_activity(account_id);
-- How many (subject, active day) pairs of a series have this day and this previous active day
-- (-1000000000 when none): the subjects active in days [L, R] are those with a pair whose day is
-- in [L, R] and whose previous day is before L, one pair each.
CREATE TABLE kpi_activity_firsts (
  series text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  prev integer NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (series, day, prev)
);
-- Accounts and customers whose facts changed since the aggregate was brought up to date. The
-- triggers only append (no key, repeats allowed): two servers writing facts of one account
-- never wait on each other; the refresh takes the rows it handles with DELETE … RETURNING, so a
-- row committed meanwhile stays for the next refresh.
CREATE TABLE kpi_activity_dirty (account_id text COLLATE "C");
CREATE TABLE kpi_customer_dirty (erp_customer_id text COLLATE "C");
-- zone: the zone of the days ('' before the first build); stale: the whole aggregate must be
-- rebuilt. The refresh locks this row, so refreshes run one at a time.
CREATE TABLE kpi_activity_state (
  id integer PRIMARY KEY CHECK (id = 1),
  zone text COLLATE "C" NOT NULL,
  stale integer NOT NULL
);
INSERT INTO kpi_activity_state(id, zone, stale) VALUES (1, '', 1);

-- Statement-level triggers with transition tables: a COPY or a multi-row INSERT marks its
-- accounts in one set-based statement, not once per row. An UPDATE marks only what changed the
-- facts the aggregate reads: the rows of (columns read) in one transition table and not in the
-- other, so a save that rewrites every column unchanged marks nothing.
CREATE FUNCTION kpi_activity_interactions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT c.account_id FROM (SELECT DISTINCT contact_id FROM new_rows) n
      JOIN contacts c ON c.id = n.contact_id WHERE c.account_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT c.account_id FROM (SELECT DISTINCT contact_id FROM old_rows) o
      JOIN contacts c ON c.id = o.contact_id WHERE c.account_id IS NOT NULL;
  ELSE
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT c.account_id FROM (
        (SELECT contact_id, at, division FROM new_rows
         EXCEPT SELECT contact_id, at, division FROM old_rows)
        UNION
        (SELECT contact_id, at, division FROM old_rows
         EXCEPT SELECT contact_id, at, division FROM new_rows)) x
      JOIN contacts c ON c.id = x.contact_id WHERE c.account_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_activity_interaction_insert AFTER INSERT ON interactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_interactions_changed();
CREATE TRIGGER kpi_activity_interaction_delete AFTER DELETE ON interactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_interactions_changed();
CREATE TRIGGER kpi_activity_interaction_update AFTER UPDATE ON interactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_interactions_changed();

CREATE FUNCTION kpi_activity_contacts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT account_id FROM new_rows WHERE account_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT account_id FROM old_rows WHERE account_id IS NOT NULL;
  ELSE
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT x.account_id FROM (
        (SELECT id, account_id FROM new_rows EXCEPT SELECT id, account_id FROM old_rows)
        UNION
        (SELECT id, account_id FROM old_rows EXCEPT SELECT id, account_id FROM new_rows)) x
      WHERE x.account_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_activity_contact_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_contacts_changed();
CREATE TRIGGER kpi_activity_contact_delete AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_contacts_changed();
CREATE TRIGGER kpi_activity_contact_update AFTER UPDATE ON contacts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_contacts_changed();

CREATE FUNCTION kpi_activity_orders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH k AS (SELECT DISTINCT erp_customer_id FROM new_rows),
         a AS (INSERT INTO kpi_activity_dirty
                 SELECT a.id FROM k JOIN accounts a ON a.erp_customer_id = k.erp_customer_id)
    INSERT INTO kpi_customer_dirty SELECT erp_customer_id FROM k;
  ELSIF TG_OP = 'DELETE' THEN
    WITH k AS (SELECT DISTINCT erp_customer_id FROM old_rows),
         a AS (INSERT INTO kpi_activity_dirty
                 SELECT a.id FROM k JOIN accounts a ON a.erp_customer_id = k.erp_customer_id)
    INSERT INTO kpi_customer_dirty SELECT erp_customer_id FROM k;
  ELSE
    WITH k AS (SELECT DISTINCT x.erp_customer_id FROM (
                 (SELECT erp_customer_id, date, division FROM new_rows
                  EXCEPT SELECT erp_customer_id, date, division FROM old_rows)
                 UNION
                 (SELECT erp_customer_id, date, division FROM old_rows
                  EXCEPT SELECT erp_customer_id, date, division FROM new_rows)) x),
         a AS (INSERT INTO kpi_activity_dirty
                 SELECT a.id FROM k JOIN accounts a ON a.erp_customer_id = k.erp_customer_id)
    INSERT INTO kpi_customer_dirty SELECT erp_customer_id FROM k;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_activity_order_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_orders_changed();
CREATE TRIGGER kpi_activity_order_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_orders_changed();
CREATE TRIGGER kpi_activity_order_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_orders_changed();

CREATE FUNCTION kpi_activity_accounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO kpi_activity_dirty SELECT id FROM new_rows WHERE erp_customer_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO kpi_activity_dirty SELECT id FROM old_rows;
  ELSE
    INSERT INTO kpi_activity_dirty
      SELECT DISTINCT x.id FROM (
        (SELECT id, erp_customer_id FROM new_rows EXCEPT SELECT id, erp_customer_id FROM old_rows)
        UNION
        (SELECT id, erp_customer_id FROM old_rows EXCEPT SELECT id, erp_customer_id FROM new_rows)) x;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER kpi_activity_account_insert AFTER INSERT ON accounts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_accounts_changed();
CREATE TRIGGER kpi_activity_account_delete AFTER DELETE ON accounts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_accounts_changed();
CREATE TRIGGER kpi_activity_account_update AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_activity_accounts_changed();
