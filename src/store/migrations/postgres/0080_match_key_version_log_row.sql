-- 0080 (PostgreSQL): nothing to do. SQLite's 0080 raises its match key version once per
-- transaction instead of once per marked record; PostgreSQL keeps no such version.
SELECT 1;
