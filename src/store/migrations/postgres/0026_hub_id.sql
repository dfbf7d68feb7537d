-- 0026 (PostgreSQL): each hub gets a random identity, kept in its settings (`move-store` and
-- the health report tell hubs apart by it).
INSERT INTO settings (key, value) VALUES ('hub_id', md5(random()::text || clock_timestamp()::text))
  ON CONFLICT (key) DO NOTHING;
