-- 0008: what senderd needs of the queue. A claim marks the recipients a
-- senderd instance is delivering now (claimed_by: the key of the session
-- advisory lock that instance holds for its lifetime, so a claim whose owner
-- died is free again at once); every attempt leaves a row in queue_attempts
-- with the remote server's reply; finished messages stay for a while so
-- their history can be read, then senderd purges them.

ALTER TABLE queue_messages
  ADD COLUMN eight_bit   boolean NOT NULL DEFAULT false,
  ADD COLUMN smtputf8    boolean NOT NULL DEFAULT false,
  ADD COLUMN finished_at timestamptz;
COMMENT ON COLUMN queue_messages.eight_bit IS 'Received with BODY=8BITMIME: needs 8BITMIME (RFC 6152) of the next server.';
COMMENT ON COLUMN queue_messages.smtputf8 IS 'Received with SMTPUTF8 (RFC 6531): needs SMTPUTF8 of the next server.';
COMMENT ON COLUMN queue_messages.finished_at IS
  'When the last recipient reached a final state (and any report was queued); purged some days later.';

ALTER TABLE queue_recipients
  ADD COLUMN claimed_by  integer,
  ADD COLUMN claimed_at  timestamptz,
  ADD COLUMN remote_mta  text NOT NULL DEFAULT '',
  ADD COLUMN dsn_status  text NOT NULL DEFAULT '',
  ADD COLUMN finished_at timestamptz;
COMMENT ON COLUMN queue_recipients.claimed_by IS
  'The senderd instance delivering it now (its advisory lock key in namespace 7102); NULL: not claimed.';
COMMENT ON COLUMN queue_recipients.remote_mta IS 'The server that gave the last reply (host name, or address).';
COMMENT ON COLUMN queue_recipients.dsn_status IS 'The last RFC 3463 status (x.y.z), as reported in delivery reports.';
COMMENT ON COLUMN queue_recipients.finished_at IS 'When it was delivered, relayed or failed for good.';

CREATE INDEX queue_messages_finished ON queue_messages (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE queue_attempts (
  id           bigserial PRIMARY KEY,
  recipient_id bigint NOT NULL REFERENCES queue_recipients (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  outcome      text NOT NULL CHECK (outcome IN ('delivered', 'relayed', 'deferred', 'failed')),
  remote_mta   text NOT NULL DEFAULT '',
  reply        text NOT NULL DEFAULT ''
);
CREATE INDEX queue_attempts_recipient ON queue_attempts (recipient_id);
COMMENT ON TABLE queue_attempts IS
  'Every delivery attempt of a queued recipient: outcome, the server tried and its reply (or the '
  'network/DNS error) verbatim.';

-- An administrator's release or retry (CLI, API or psql) wakes the senders of
-- every node at once: the notification goes out on the nodes' bus channel as
-- queue.ready, as if a daemon had published it.
CREATE FUNCTION queue_wake_senders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pillarbox_bus', '{"node":"database","topic":"queue.ready","data":{}}');
  RETURN NULL;
END $$;
COMMENT ON FUNCTION queue_wake_senders() IS
  'Publishes queue.ready to every node (NOTIFY pillarbox_bus) when queued mail becomes due by hand.';

CREATE TRIGGER queue_messages_released AFTER UPDATE OF held ON queue_messages
  FOR EACH ROW WHEN (OLD.held AND NOT NEW.held) EXECUTE FUNCTION queue_wake_senders();
CREATE TRIGGER queue_recipients_made_due AFTER UPDATE OF next_attempt_at ON queue_recipients
  FOR EACH ROW WHEN (NEW.status = 'pending' AND NEW.claimed_by IS NULL AND OLD.next_attempt_at > now()
                     AND NEW.next_attempt_at <= now())
  EXECUTE FUNCTION queue_wake_senders();
