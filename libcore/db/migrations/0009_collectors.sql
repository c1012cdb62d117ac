-- 0009: collectors (collectord): remote POP3 mailboxes fetched on a schedule,
-- one row each, and what collectord remembers of them. collectors is a
-- configuration table (the pillarbox_config_changed() trigger of 0001);
-- collector_status (run state, claims) and collector_uidls (messages seen)
-- change on every run and deliberately carry no such trigger.

-- ---------------------------------------------------------------- collectors
CREATE TABLE collectors (
  id                  bigserial PRIMARY KEY,
  name                text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  server              text NOT NULL CHECK (server ~ '^[A-Za-z0-9.:-]{1,253}$'),
  port                integer NOT NULL DEFAULT 110 CHECK (port BETWEEN 1 AND 65535),
  tls                 text NOT NULL DEFAULT 'none' CHECK (tls IN ('none', 'stls', 'implicit')),
  account             text NOT NULL CHECK (account <> '' AND length(account) <= 255
                                            AND account !~ '[[:cntrl:]]'),
  password            bytea NOT NULL,
  auth                text NOT NULL DEFAULT 'user' CHECK (auth IN ('user', 'apop', 'cram-md5', 'plain')),
  interval_minutes    integer NOT NULL DEFAULT 15 CHECK (interval_minutes BETWEEN 1 AND 10080),
  enabled             boolean NOT NULL DEFAULT true,
  max_message_size    bigint NOT NULL DEFAULT 0 CHECK (max_message_size >= 0),
  leave_days          integer NOT NULL DEFAULT 0 CHECK (leave_days BETWEEN 0 AND 3650),
  mode                text NOT NULL CHECK (mode IN ('headers', 'deliver', 'forward')),
  accepted_domains    text[] NOT NULL DEFAULT '{}',
  header_fields       text[] NOT NULL DEFAULT '{}',
  no_default_mappings boolean NOT NULL DEFAULT false,
  fallback_account    text NOT NULL DEFAULT '' CHECK (length(fallback_account) <= 32),
  target              text NOT NULL DEFAULT '' CHECK (length(target) <= 320),
  envelope_command    text NOT NULL DEFAULT '' CHECK (envelope_command ~ '^[!-~]{0,32}$'),
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((mode = 'headers') = (target = ''))
);
CREATE UNIQUE INDEX collectors_name ON collectors (lower(name));
COMMENT ON TABLE collectors IS
  'Collectors: remote POP3 mailboxes that collectord empties every interval_minutes and '
  'delivers locally, by the recipients in the headers (mode headers), all to one account '
  'or list (deliver) or all forwarded to one address (forward).';
COMMENT ON COLUMN collectors.name IS '1-64 of letters, digits, ".", "_", "-"; unique ignoring case.';
COMMENT ON COLUMN collectors.server IS 'POP3 server: host name, IPv4 or IPv6 address (without brackets).';
COMMENT ON COLUMN collectors.port IS 'POP3 port: usually 110, or 995 with tls implicit.';
COMMENT ON COLUMN collectors.tls IS
  'none: plain POP3; stls: STLS required (RFC 2595; no TLS, no session); implicit: TLS from the first byte.';
COMMENT ON COLUMN collectors.account IS 'The account name on the remote server (USER, APOP or AUTH).';
COMMENT ON COLUMN collectors.password IS
  'Its password encrypted with the server key (libcore/crypto); never shown by the CLI or the API.';
COMMENT ON COLUMN collectors.auth IS
  'user: USER/PASS; apop: APOP (RFC 1939); cram-md5, plain: AUTH with that SASL mechanism (RFC 5034).';
COMMENT ON COLUMN collectors.interval_minutes IS 'Minutes from the end of one run to the start of the next: 1-10080.';
COMMENT ON COLUMN collectors.enabled IS 'A disabled collector is never run.';
COMMENT ON COLUMN collectors.max_message_size IS
  'Bytes; larger messages are left on the server (collector_uidls.oversize) until released. 0: no limit.';
COMMENT ON COLUMN collectors.leave_days IS
  'Days a fetched message stays on the server, counted from when it was first seen; 0: deleted once stored.';
COMMENT ON COLUMN collectors.mode IS
  'headers: to the local recipients found in the headers; deliver: everything to target (an account '
  'or list); forward: everything to target (an address).';
COMMENT ON COLUMN collectors.accepted_domains IS
  'Mode headers: the domains (wildcards * and ? allowed) whose addresses in the headers count as recipients.';
COMMENT ON COLUMN collectors.header_fields IS
  'Mode headers: the header fields searched for recipients; empty: the usual ones (To, Cc, ...).';
COMMENT ON COLUMN collectors.no_default_mappings IS
  'Mode headers: true disables the default user@domain -> account user mapping; only mappings count.';
COMMENT ON COLUMN collectors.fallback_account IS
  'Mode headers: the account that gets messages with no recipient found; empty: none.';
COMMENT ON COLUMN collectors.target IS
  'Mode deliver: the account or list name; mode forward: the address; mode headers: empty.';
COMMENT ON COLUMN collectors.envelope_command IS
  'A POP3 command returning a message''s envelope (e.g. *ENV), used when set; empty: none.';

CREATE TRIGGER collectors_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON collectors
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();

-- ---------------------------------------------------------------- run state
CREATE TABLE collector_status (
  collector_id bigint PRIMARY KEY REFERENCES collectors (id) ON DELETE CASCADE,
  next_run_at  timestamptz NOT NULL DEFAULT now(),
  last_run_at  timestamptz,
  last_result  text CHECK (last_result IN ('ok', 'partial', 'failed')),
  last_error   text NOT NULL DEFAULT '',
  fetched      integer NOT NULL DEFAULT 0 CHECK (fetched >= 0),
  claimed_by   integer,
  claimed_at   timestamptz,
  CHECK ((claimed_by IS NULL) = (claimed_at IS NULL))
);
CREATE INDEX collector_status_due ON collector_status (next_run_at);
COMMENT ON TABLE collector_status IS
  'Run state of each collector (one row each, made with it): when it runs next, how its last run '
  'went, and which collectord instance runs it now. Apart from collectors so that runs do not '
  'signal a configuration change.';
COMMENT ON COLUMN collector_status.next_run_at IS 'When the collector is due; a new collector is due at once.';
COMMENT ON COLUMN collector_status.last_run_at IS 'When the last finished run started; NULL: never run.';
COMMENT ON COLUMN collector_status.last_result IS
  'ok: everything fetched; partial: some messages fetched before a failure; failed: nothing fetched.';
COMMENT ON COLUMN collector_status.last_error IS 'The last run''s error (the server''s reply or the network error); empty when ok.';
COMMENT ON COLUMN collector_status.fetched IS 'Messages fetched and stored by the last run.';
COMMENT ON COLUMN collector_status.claimed_by IS
  'The collectord instance running it now (its advisory lock key in namespace 7103); NULL: not running. '
  'A claim whose owner no longer holds its lock is taken over.';
COMMENT ON COLUMN collector_status.claimed_at IS 'When the current run started.';

CREATE FUNCTION collector_status_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO collector_status (collector_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION collector_status_create() IS
  'Gives every new collector its collector_status row, due at once (also for rows inserted with psql).';
CREATE TRIGGER collectors_status_row AFTER INSERT ON collectors
  FOR EACH ROW EXECUTE FUNCTION collector_status_create();

-- ---------------------------------------------------------------- UIDLs
CREATE TABLE collector_uidls (
  collector_id bigint NOT NULL REFERENCES collectors (id) ON DELETE CASCADE,
  uidl         text NOT NULL CHECK (uidl ~ '^[!-~]{1,70}$'),
  first_seen   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  deleted_at   timestamptz,
  oversize     boolean NOT NULL DEFAULT false,
  released     boolean NOT NULL DEFAULT false,
  CHECK (oversize OR NOT released),
  PRIMARY KEY (collector_id, uidl)
);
COMMENT ON TABLE collector_uidls IS
  'Messages a collector has seen on its server, by UIDL (RFC 1939): a message is downloaded once, '
  'and deleted from the server leave_days after first_seen.';
COMMENT ON COLUMN collector_uidls.uidl IS 'The server''s unique-id: 1-70 characters 0x21-0x7E.';
COMMENT ON COLUMN collector_uidls.first_seen IS 'When a run first listed it; the leave_days count starts here.';
COMMENT ON COLUMN collector_uidls.delivered_at IS 'When it was downloaded and stored; NULL: not (yet).';
COMMENT ON COLUMN collector_uidls.deleted_at IS 'When it was deleted from the server; NULL: still there.';
COMMENT ON COLUMN collector_uidls.oversize IS 'Larger than max_message_size: left on the server, not downloaded.';
COMMENT ON COLUMN collector_uidls.released IS
  'An administrator released the oversize message: the next run downloads it whatever its size.';
