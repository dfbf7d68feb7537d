-- 0069: an account or contact whose keys change is marked for the duplicate index once, not
-- twice. The update triggers of 0010 appended the old and the new id, the same id unless the id
-- itself changes (cxhub never changes one): a weekly ERP delta that renames 45,000 accounts
-- wrote 90,000 rows into dup_dirty where 45,000 say the same (docs/operations.md, "Weekly
-- deltas"). The new id is appended only when it differs, as PostgreSQL's dup_mark always did.
DROP TRIGGER dup_account_update;
CREATE TRIGGER dup_account_update AFTER UPDATE OF id, name, name_key, phone_key, email_key,
merged_into ON accounts
WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name OR OLD.name_key IS NOT NEW.name_key
  OR OLD.phone_key IS NOT NEW.phone_key OR OLD.email_key IS NOT NEW.email_key
  OR OLD.merged_into IS NOT NEW.merged_into BEGIN
  INSERT INTO dup_dirty VALUES (0, OLD.id);
  INSERT INTO dup_dirty SELECT 0, NEW.id WHERE NEW.id IS NOT OLD.id;
END;
DROP TRIGGER dup_contact_update;
CREATE TRIGGER dup_contact_update AFTER UPDATE OF id, full_name, name_key, phone_key, email_key,
account_id, merged_into ON contacts
WHEN OLD.id IS NOT NEW.id OR OLD.full_name IS NOT NEW.full_name
  OR OLD.name_key IS NOT NEW.name_key OR OLD.phone_key IS NOT NEW.phone_key
  OR OLD.email_key IS NOT NEW.email_key OR OLD.account_id IS NOT NEW.account_id
  OR OLD.merged_into IS NOT NEW.merged_into BEGIN
  INSERT INTO dup_dirty VALUES (1, OLD.id);
  INSERT INTO dup_dirty SELECT 1, NEW.id WHERE NEW.id IS NOT OLD.id;
END;
