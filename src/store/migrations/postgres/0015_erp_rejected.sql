-- 0015: the rows a --partial ERP sync rejected and nothing has put right since, by kind and key
-- (ERP Customer ID or Order ID), with the row's Last Modified when it had a valid one. A later
-- export's row with such a key, as new as the rejected one, is applied even when it is not
-- newer than the watermark (docs/erp.md); any valid row with the key puts it right and removes
-- it.
CREATE TABLE erp_rejected (
  kind text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  last_modified bigint,
  sync_seq bigint NOT NULL,
  line bigint NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (kind, key)
);
