-- 0004: the outgoing queue: one row per accepted message with remote
-- recipients (the body is shared with mailboxes), one row per remote recipient
-- with its DSN parameters (RFC 3461) and delivery state. senderd claims due
-- recipients with SELECT ... FOR UPDATE SKIP LOCKED on queue_recipients_due.

-- Delivery ids: the "queued as <id>" of every accepted message, local or remote.
CREATE SEQUENCE delivery_id_seq;
COMMENT ON SEQUENCE delivery_id_seq IS 'Source of the ids in "250 2.0.0 Ok: queued as <id>" (printed in hex).';

CREATE TABLE queue_messages (
  id          bigserial PRIMARY KEY,
  delivery_id text NOT NULL,
  body_id     bigint NOT NULL REFERENCES bodies (id),
  sender      text NOT NULL DEFAULT '',
  envid       text NOT NULL DEFAULT '',
  ret         text NOT NULL DEFAULT '' CHECK (ret IN ('', 'FULL', 'HDRS')),
  held        boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_messages_delivery ON queue_messages (delivery_id);
CREATE INDEX queue_messages_body ON queue_messages (body_id);
COMMENT ON TABLE queue_messages IS
  'Outgoing queue: messages with remote recipients. Removed when every recipient '
  'is done and any report sent.';
COMMENT ON COLUMN queue_messages.delivery_id IS 'The id the SMTP client was told ("queued as"), for the logs.';
COMMENT ON COLUMN queue_messages.sender IS 'Envelope sender (MAIL FROM); empty: the null sender <>.';
COMMENT ON COLUMN queue_messages.envid IS 'DSN ENVID (RFC 3461), as received (xtext decoded); empty: none.';
COMMENT ON COLUMN queue_messages.ret IS 'DSN RET: FULL or HDRS; empty: not given.';
COMMENT ON COLUMN queue_messages.held IS 'Held by an administrator: not sent until released.';

CREATE TABLE queue_recipients (
  id              bigserial PRIMARY KEY,
  message_id      bigint NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
  address         text NOT NULL CHECK (address <> ''),
  notify          text NOT NULL DEFAULT '',
  orcpt           text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'delivered', 'relayed', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  delay_warned    boolean NOT NULL DEFAULT false,
  last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX queue_recipients_due ON queue_recipients (next_attempt_at) WHERE status = 'pending';
CREATE INDEX queue_recipients_message ON queue_recipients (message_id);
COMMENT ON TABLE queue_recipients IS
  'Remote recipients of queued messages. pending: to be tried at next_attempt_at; '
  'delivered, relayed (to a server without DSN) and failed are final.';
COMMENT ON COLUMN queue_recipients.notify IS 'DSN NOTIFY, e.g. SUCCESS,FAILURE or NEVER; empty: not given.';
COMMENT ON COLUMN queue_recipients.orcpt IS 'DSN ORCPT as received, e.g. rfc822;user@example.com; empty: not given.';
COMMENT ON COLUMN queue_recipients.delay_warned IS 'The sender was told of the delay (after 4 hours).';
COMMENT ON COLUMN queue_recipients.last_error IS 'The last failure: the remote reply verbatim, or the network/DNS error.';

CREATE VIEW queue_summary AS
SELECT r.status,
       q.held,
       count(*) AS recipients,
       count(DISTINCT q.id) AS messages,
       min(q.created_at) AS oldest,
       min(r.next_attempt_at) FILTER (WHERE r.status = 'pending') AS next_attempt
  FROM queue_recipients r
  JOIN queue_messages q ON q.id = r.message_id
 GROUP BY r.status, q.held;
COMMENT ON VIEW queue_summary IS 'The outgoing queue by recipient status and held flag: counts, oldest, next attempt.';

CREATE VIEW queue_overview AS
SELECT q.id,
       q.delivery_id,
       q.sender,
       b.size,
       q.held,
       q.created_at,
       count(*) FILTER (WHERE r.status = 'pending') AS pending,
       count(*) FILTER (WHERE r.status IN ('delivered', 'relayed')) AS done,
       count(*) FILTER (WHERE r.status = 'failed') AS failed,
       min(r.next_attempt_at) FILTER (WHERE r.status = 'pending') AS next_attempt,
       max(r.attempts) AS attempts,
       string_agg(r.last_error, ' | ') FILTER (WHERE r.last_error <> '') AS errors
  FROM queue_messages q
  JOIN bodies b ON b.id = q.body_id
  LEFT JOIN queue_recipients r ON r.message_id = q.id
 GROUP BY q.id, b.size;
COMMENT ON VIEW queue_overview IS 'One row per queued message: sender, size, recipients by state, next attempt, errors.';
