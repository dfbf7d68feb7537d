-- 0069 (PostgreSQL): nothing to do. On SQLite this version made the update triggers of the
-- duplicate index append an account's or contact's id once instead of twice when the id stays;
-- dup_mark (0010) has always appended the new id only when it differs.
SELECT 1;
