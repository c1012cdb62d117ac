-- 0005: what POP3 needs beyond the mail store — the one-session-per-mailbox
-- lock (the APOP secret is accounts.apop_secret) — and the security event
-- log every service writes failed logins to (lock-outs and intrusion
-- blocking are built on it).

CREATE TABLE pop3_locks (
  account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  node       text NOT NULL,
  pid        integer NOT NULL,
  instance   text NOT NULL,
  locked_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pop3_locks IS
  'One POP3 session per mailbox (RFC 1939 §8): the row of the session holding the '
  'account''s maildrop. A pop3d that finds a lock of a dead process on its own node takes it over.';
COMMENT ON COLUMN pop3_locks.instance IS 'Random per pop3d process: tells a re-used PID from its holder.';

CREATE TABLE security_events (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  service    text NOT NULL,
  address    inet NOT NULL,
  account    text NOT NULL DEFAULT '',
  kind       text NOT NULL,
  reason     text NOT NULL DEFAULT ''
);
CREATE INDEX security_events_address_at ON security_events (address, at);
CREATE INDEX security_events_at ON security_events (at);
COMMENT ON TABLE security_events IS
  'Security event log: failed logins (kind login_failed) with service, client address, '
  'the account name tried and why (kept for the administrator; never shown to clients).';
