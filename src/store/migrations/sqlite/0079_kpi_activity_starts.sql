-- 0079 (SQLite): nothing. On PostgreSQL the pairs of the aggregate of active days are also kept
-- gathered per day (kpi_activity_starts), so that the server counts a period's active subjects
-- with one binary search a day; SQLite counts them from kpi_activity_firsts in its own process.
SELECT 1;
