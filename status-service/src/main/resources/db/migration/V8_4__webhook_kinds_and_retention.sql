-- Endpoints may ask only for changes caused by statements of some types (empty: every change).
ALTER TABLE webhook_endpoint ADD COLUMN event_kinds text[] NOT NULL DEFAULT '{}';

-- Finished deliveries are deleted once older than parley.webhooks.retention (webhooks/WebhookDispatcher), found
-- by their creation time; pending ones are never deleted.
CREATE INDEX webhook_delivery_finished ON webhook_delivery (created_at) WHERE status <> 'pending';
