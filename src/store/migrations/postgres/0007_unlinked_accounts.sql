-- 0007: the live accounts without an ERP Customer ID, from an index that holds only them. An
-- ERP sync asks whether there are any (to know whether to propose links) and the weekly review
-- counts them; without it both read the whole accounts table.
CREATE INDEX IF NOT EXISTS accounts_unlinked ON accounts (id) WHERE erp_customer_id IS NULL AND merged_into IS NULL;
