-- 0007: the live accounts without an ERP Customer ID, from an index that holds only them. An
-- ERP sync asks whether there are any (to know whether to propose links) and the weekly
-- review counts them; both read the whole accounts table without it.
CREATE INDEX accounts_unlinked ON accounts(merged_into) WHERE erp_customer_id IS NULL;
