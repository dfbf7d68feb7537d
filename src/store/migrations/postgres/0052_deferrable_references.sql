-- 0052 (PostgreSQL): every foreign key may be deferred. They stay INITIALLY IMMEDIATE, so every
-- command checks them at each statement as before; `move-store` alone defers them to its commit
-- (SET CONSTRAINTS ALL DEFERRED), because a merged account or contact may name a survivor that
-- the copy writes after it (docs/operations.md, "Moving a hub").
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE contype = 'f' AND NOT condeferrable
             AND connamespace = current_schema()::regnamespace
  LOOP
    EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE',
                   c.tbl, c.conname);
  END LOOP;
END
$$;
