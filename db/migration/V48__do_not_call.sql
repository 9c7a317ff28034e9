-- Do-not-call numbers: each tenant's own list (user_id), and the platform's list kept by admins
-- (user_id NULL). A listed number is never dialled: not added to a campaign, skipped again right
-- before each dial, and refused (409) for a single call.

CREATE TABLE do_not_call_numbers (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID REFERENCES users (id) ON DELETE CASCADE,
    phone_number VARCHAR(50) NOT NULL,
    reason       VARCHAR(500),
    created_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX do_not_call_numbers_tenant_unique ON do_not_call_numbers (user_id, phone_number)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX do_not_call_numbers_platform_unique ON do_not_call_numbers (phone_number)
    WHERE user_id IS NULL;
CREATE INDEX idx_do_not_call_numbers_user_created ON do_not_call_numbers (user_id, created_at);
