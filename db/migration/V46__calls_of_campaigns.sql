-- A call placed by a campaign names its campaign and recipient.

ALTER TABLE calls ADD COLUMN campaign_id UUID, ADD COLUMN campaign_recipient_id UUID,
    ADD CONSTRAINT calls_campaign_same_user_fk FOREIGN KEY (campaign_id, user_id)
        REFERENCES campaigns (id, user_id) ON DELETE SET NULL (campaign_id),
    ADD CONSTRAINT calls_campaign_recipient_fk FOREIGN KEY (campaign_recipient_id)
        REFERENCES campaign_recipients (id) ON DELETE SET NULL;
CREATE INDEX idx_calls_campaign ON calls (campaign_id, created_at) WHERE campaign_id IS NOT NULL;
