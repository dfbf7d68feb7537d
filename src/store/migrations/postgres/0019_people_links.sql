-- 0019 (PostgreSQL): nothing to do. SQLite's 0019 rewrote person columns written before people
-- became links to users (a full name or a stray spelling becomes the user's login). Every
-- PostgreSQL hub was made by a cxhub that already writes logins, and `move-store` copies a hub
-- that has every step applied.
SELECT 1;
