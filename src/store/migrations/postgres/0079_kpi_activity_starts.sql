-- 0079 (PostgreSQL): the pairs of the aggregate of active days gathered per day, for the counts
-- of a period (docs/postgresql.md, "KPI facts"). The subjects of a series active on a day of
-- [L, R] are those with a pair (day, prev) where day is in [L, R] and prev < L, one pair each;
-- summing those pairs from kpi_activity_firsts passed every pair of the period's days (some
-- 11,600 a series for a quarter at the KPI benchmark's scale 0.2, 5 ms a series, 33 statements
-- a scorecard with its trend). Here one row per series and day holds the day's previous days
-- ascending (`prevs`) and the running sums of their counts (`cum`): the pairs before L are
-- cum[width_bucket(L - 1, prevs)], one binary search a day. Kept with kpi_activity_firsts: a
-- rebuild writes both, a refresh makes again the rows of the days whose pairs it changed.
-- PostgreSQL's own: `move-store` leaves it out (the target's rebuild fills it).
CREATE TABLE kpi_activity_starts (
  series text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  prevs integer[] NOT NULL,
  cum bigint[] NOT NULL,
  PRIMARY KEY (series, day)
);
INSERT INTO kpi_activity_starts (series, day, prevs, cum)
  SELECT series, day, array_agg(prev ORDER BY prev), array_agg(c ORDER BY prev)
  FROM (SELECT series, day, prev,
               (sum(n) OVER (PARTITION BY series, day ORDER BY prev))::bigint AS c
        FROM kpi_activity_firsts) f
  GROUP BY series, day;
