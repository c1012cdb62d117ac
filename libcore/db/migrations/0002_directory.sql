-- 0002: the directory — who and what mail is for: domains, accounts and their
-- forwarding / assistant / size-dependent settings, mappings (aliases),
-- distribution lists, IP access rules. All configuration tables: each carries
-- the pillarbox_config_changed() statement trigger of 0001. Names compare
-- case-insensitively (unique indexes on lower(name)), and are kept as entered.

-- ---------------------------------------------------------------- domains
CREATE TABLE domains (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL CHECK (name <> '' AND length(name) <= 253),
  kind       text NOT NULL CHECK (kind IN ('local', 'accepted')),
  comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 80),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX domains_name_kind ON domains (lower(name), kind);
COMMENT ON TABLE domains IS
  'Mail domains. local: mail for <anything>@name is delivered here. accepted: '
  'collectors count recipients in these domains. A domain may be both (two rows).';
COMMENT ON COLUMN domains.kind IS 'local or accepted.';

-- ---------------------------------------------------------------- accounts
CREATE TABLE accounts (
  id                     bigserial PRIMARY KEY,
  name                   text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,32}$'),
  password_hash          text,
  web_password_hash      text,
  reset_email            text NOT NULL DEFAULT '',
  admin                  boolean NOT NULL DEFAULT false,
  enabled                boolean NOT NULL DEFAULT true,
  expires_at             timestamptz,
  comment                text NOT NULL DEFAULT '' CHECK (length(comment) <= 80),
  quota_mb               integer NOT NULL DEFAULT 0 CHECK (quota_mb >= 0),
  allow_internet_send    boolean NOT NULL DEFAULT true,
  allow_internet_receive boolean NOT NULL DEFAULT true,
  apop_secret            bytea,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_name ON accounts (lower(name));
COMMENT ON TABLE accounts IS
  'Accounts: what someone logs in to (POP3, IMAP, SMTP AUTH, admin). Each has an '
  'INBOX and the special folders Sent, Drafts, Trash, Junk (table mailboxes).';
COMMENT ON COLUMN accounts.name IS '1-32 of letters, digits, ".", "_", "-"; unique ignoring case.';
COMMENT ON COLUMN accounts.password_hash IS 'PHC string (argon2id); NULL: no password login possible.';
COMMENT ON COLUMN accounts.web_password_hash IS 'Optional separate web password (PHC string).';
COMMENT ON COLUMN accounts.reset_email IS 'Address for password resets; empty: none.';
COMMENT ON COLUMN accounts.expires_at IS 'Logins and delivery refused from this time on; NULL: never.';
COMMENT ON COLUMN accounts.quota_mb IS 'Mailbox quota in MB; 0: none. Never rejects incoming mail.';
COMMENT ON COLUMN accounts.apop_secret IS 'APOP secret encrypted with the server key; NULL: APOP off.';

CREATE TRIGGER accounts_touch_updated_at
  BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION pillarbox_touch_updated_at();

-- Per-account forwarding (kind forward) and assistants (kind assistant), admin
-- guide 4.5: addresses, on/off keeping the addresses, copy or redirect, and a
-- time window (each end optional).
CREATE TABLE account_forwarding (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('forward', 'assistant')),
  addresses   text[] NOT NULL DEFAULT '{}',
  enabled     boolean NOT NULL DEFAULT false,
  redirect    boolean NOT NULL DEFAULT false,
  from_date   integer CHECK (from_date BETWEEN 10000101 AND 99991231),
  to_date     integer CHECK (to_date BETWEEN 10000101 AND 99991231),
  from_minute integer CHECK (from_minute BETWEEN 0 AND 1439),
  to_minute   integer CHECK (to_minute BETWEEN 0 AND 1439),
  PRIMARY KEY (account_id, kind)
);
COMMENT ON TABLE account_forwarding IS
  'Per-account forwarding (kind forward) and assistants (kind assistant): addresses, '
  'on/off, copy or redirect (no local copy), time window. No row: off.';
COMMENT ON COLUMN account_forwarding.from_date IS 'Window start date YYYYMMDD; NULL: open.';
COMMENT ON COLUMN account_forwarding.from_minute IS 'Window start time, minutes after midnight (local); NULL: open.';

CREATE TABLE account_size_rules (
  id         bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 1),
  at_least   boolean NOT NULL DEFAULT true,
  kilobytes  bigint NOT NULL CHECK (kilobytes >= 0),
  addresses  text[] NOT NULL,
  redirect   boolean NOT NULL DEFAULT false,
  UNIQUE (account_id, position)
);
COMMENT ON TABLE account_size_rules IS
  'Size-dependent copy/redirect per account: messages of at least (at_least) or at '
  'most kilobytes kB go to addresses, as a copy or instead of the account.';

-- ---------------------------------------------------------------- mappings
CREATE TABLE mappings (
  id           bigserial PRIMARY KEY,
  pattern      text NOT NULL CHECK (pattern <> '' AND length(pattern) <= 512),
  type         text NOT NULL DEFAULT 'always' CHECK (type IN ('always', 'smtp', 'pop3', 'from')),
  target       text NOT NULL CHECK (target <> '' AND length(target) <= 320),
  collector_id bigint,
  comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 80),
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- Regular expressions are case-sensitive unless flagged: only they keep case.
CREATE UNIQUE INDEX mappings_unique ON mappings (
  (CASE WHEN pattern LIKE '/%' THEN pattern ELSE lower(pattern) END),
  type, lower(target), coalesce(collector_id, 0));
CREATE INDEX mappings_target ON mappings (lower(target));
COMMENT ON TABLE mappings IS
  'Mappings (aliases): pattern -> target. Pattern: address, local part (every local '
  'domain), DOS wildcard, /regex/flags, or ~@domain (unknown addresses of a domain). '
  'Target: account, list, remote address, "remote" or "no-one". All matches deliver.';
COMMENT ON COLUMN mappings.type IS 'always, smtp (SMTP mail only), pop3 (collected mail only), from (sender).';
COMMENT ON COLUMN mappings.collector_id IS 'Only for mail from this collector; NULL: any.';

-- ---------------------------------------------------------------- lists
CREATE TABLE lists (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,32}$'),
  comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 80),
  allow_internet boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX lists_name ON lists (lower(name));
COMMENT ON TABLE lists IS
  'Distribution lists, addressed as name@<local domain>. A name never equals an '
  'account''s. allow_internet: mail from outside may reach the list.';

CREATE TABLE list_members (
  id      bigserial PRIMARY KEY,
  list_id bigint NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  address text NOT NULL CHECK (address <> '' AND address !~ '\s')
);
CREATE UNIQUE INDEX list_members_address ON list_members (list_id, lower(address));
COMMENT ON TABLE list_members IS 'Members of distribution lists: local names or remote addresses, in order of id.';

-- Accounts and lists share one name space. The advisory lock makes two
-- concurrent inserts (one account, one list, same name) serialise here.
CREATE FUNCTION pillarbox_check_name_free() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(5783281964623414611);  -- 'PBXNAMES'
  IF TG_TABLE_NAME = 'accounts' THEN
    IF EXISTS (SELECT 1 FROM lists WHERE lower(name) = lower(NEW.name)) THEN
      RAISE EXCEPTION 'a list is named %', NEW.name USING ERRCODE = 'unique_violation';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM accounts WHERE lower(name) = lower(NEW.name)) THEN
    RAISE EXCEPTION 'an account is named %', NEW.name USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION pillarbox_check_name_free() IS
  'Row trigger of accounts and lists: a name may not be used by both.';
CREATE TRIGGER accounts_name_free BEFORE INSERT OR UPDATE OF name ON accounts
  FOR EACH ROW EXECUTE FUNCTION pillarbox_check_name_free();
CREATE TRIGGER lists_name_free BEFORE INSERT OR UPDATE OF name ON lists
  FOR EACH ROW EXECUTE FUNCTION pillarbox_check_name_free();

-- ---------------------------------------------------------------- access rules
CREATE FUNCTION pillarbox_is_network(t text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF t = 'any' THEN RETURN true; END IF;
  PERFORM t::inet;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END;
$$;
COMMENT ON FUNCTION pillarbox_is_network(text) IS
  'True for "any", a single IPv4/IPv6 host or a CIDR subnet.';

CREATE TABLE access_rules (
  id        bigserial PRIMARY KEY,
  service   text NOT NULL CHECK (service IN ('global', 'smtp', 'submission', 'pop3', 'imap', 'admin')),
  position  integer NOT NULL CHECK (position >= 1),
  action    text NOT NULL CHECK (action IN ('allow', 'deny')),
  network   text NOT NULL CHECK (pillarbox_is_network(network)),
  users     text[] NOT NULL DEFAULT '{}',
  no_auth   boolean NOT NULL DEFAULT false,
  no_global boolean NOT NULL DEFAULT false,
  comment   text NOT NULL DEFAULT '' CHECK (length(comment) <= 80),
  -- Deferrable so that renumbering (position = position + 1) is checked per statement.
  UNIQUE (service, position) DEFERRABLE INITIALLY IMMEDIATE
);
COMMENT ON TABLE access_rules IS
  'IP access rules, an ordered list per service plus the global list; the first '
  'matching rule decides. An address a service list allows is then checked against '
  'the global list unless that rule says no_global.';
COMMENT ON COLUMN access_rules.position IS '1, 2, 3... within the service, without gaps.';
COMMENT ON COLUMN access_rules.network IS '"any", a single host or a CIDR subnet (IPv4 or IPv6).';
COMMENT ON COLUMN access_rules.users IS 'Only for these account names; empty: everyone.';
COMMENT ON COLUMN access_rules.no_auth IS 'SMTP: hosts matching may relay without authenticating.';
COMMENT ON COLUMN access_rules.no_global IS 'An address this rule allows skips the global list.';

-- ---------------------------------------------------------------- change notification
CREATE TRIGGER domains_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON domains
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER accounts_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER account_forwarding_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_forwarding
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER account_size_rules_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON account_size_rules
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER mappings_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mappings
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER lists_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lists
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER list_members_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON list_members
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER access_rules_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_rules
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
