-- 0007: outgoing routes (REQUIREMENTS.md §7, "Out Mail"): how senderd sends
-- mail for remote recipients. An ordered list of routes, each limited by a
-- pattern on the envelope sender and one on the recipient's domain; the first
-- enabled route that matches decides. A route sends through its relays (smart
-- hosts, tried in order: the next when one fails) or directly by MX. Mail no
-- route matches is not sent (senderd says so). Configuration tables: each
-- carries the pillarbox_config_changed() statement trigger of 0001.

-- ---------------------------------------------------------------- routes
CREATE TABLE outgoing_routes (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  position       integer NOT NULL CHECK (position >= 1),
  sender_pattern text NOT NULL DEFAULT '*'
                 CHECK (sender_pattern <> '' AND length(sender_pattern) <= 320
                        AND sender_pattern !~ '[[:space:][:cntrl:]]'),
  domain_pattern text NOT NULL DEFAULT '*'
                 CHECK (domain_pattern ~ '^[A-Za-z0-9*?.-]{1,253}$'),
  method         text NOT NULL CHECK (method IN ('relay', 'mx')),
  enabled        boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Deferrable so that renumbering (position = position + 1) is checked per statement.
  UNIQUE (position) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE UNIQUE INDEX outgoing_routes_name ON outgoing_routes (lower(name));
COMMENT ON TABLE outgoing_routes IS
  'Outgoing routes ("out methods"), checked in position order for each remote '
  'recipient: the first enabled route whose sender_pattern and domain_pattern '
  'match sends the mail, through its relays (method relay) or directly by MX '
  '(method mx). No matching route: the mail is not sent.';
COMMENT ON COLUMN outgoing_routes.name IS '1-64 of letters, digits, ".", "_", "-"; unique ignoring case.';
COMMENT ON COLUMN outgoing_routes.position IS 'Evaluation order: 1, 2, 3... without gaps.';
COMMENT ON COLUMN outgoing_routes.sender_pattern IS
  'Wildcard (* and ?, ignoring case) on the envelope sender, e.g. *@sales.example.com; '
  '"*": any sender, including the null sender; "<>": only the null sender (bounces).';
COMMENT ON COLUMN outgoing_routes.domain_pattern IS
  'Wildcard (* and ?, ignoring case) on the recipient''s domain, e.g. *.example.org; "*": any.';
COMMENT ON COLUMN outgoing_routes.method IS
  'relay: through the relays of outgoing_relays, in order; mx: directly to the '
  'recipient domain''s MX hosts (needs a real host name and reverse DNS).';
COMMENT ON COLUMN outgoing_routes.enabled IS 'A disabled route is skipped as if it were not there.';

-- ---------------------------------------------------------------- relays
CREATE TABLE outgoing_relays (
  id            bigserial PRIMARY KEY,
  route_id      bigint NOT NULL REFERENCES outgoing_routes (id) ON DELETE CASCADE,
  position      integer NOT NULL CHECK (position >= 1),
  host          text NOT NULL CHECK (host ~ '^[A-Za-z0-9.:-]{1,253}$'),
  port          integer NOT NULL DEFAULT 25 CHECK (port BETWEEN 1 AND 65535),
  tls           text NOT NULL DEFAULT 'opportunistic'
                CHECK (tls IN ('none', 'starttls', 'opportunistic', 'implicit')),
  auth_user     text NOT NULL DEFAULT '' CHECK (length(auth_user) <= 255),
  auth_password bytea,
  CHECK ((auth_user = '') = (auth_password IS NULL)),
  UNIQUE (route_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE UNIQUE INDEX outgoing_relays_host ON outgoing_relays (route_id, lower(host), port);
COMMENT ON TABLE outgoing_relays IS
  'Relay hosts (smart hosts) of the outgoing routes of method relay, tried in '
  'position order: when one cannot be reached or fails temporarily, the next.';
COMMENT ON COLUMN outgoing_relays.position IS '1, 2, 3... within the route, without gaps.';
COMMENT ON COLUMN outgoing_relays.host IS 'Host name, IPv4 or IPv6 address (without brackets).';
COMMENT ON COLUMN outgoing_relays.tls IS
  'none: plain SMTP; starttls: STARTTLS required (no TLS, no mail); opportunistic: '
  'STARTTLS when offered; implicit: TLS from the first byte (port 465).';
COMMENT ON COLUMN outgoing_relays.auth_user IS 'SMTP AUTH user name; empty: no AUTH.';
COMMENT ON COLUMN outgoing_relays.auth_password IS
  'SMTP AUTH password encrypted with the server key (libcore/crypto); NULL exactly when there is no AUTH.';

-- What psql users want to see: the routes in order with their relays, never the passwords.
CREATE VIEW outgoing_routes_overview AS
SELECT r.position,
       r.name,
       r.enabled,
       r.sender_pattern,
       r.domain_pattern,
       r.method,
       string_agg(CASE WHEN l.host LIKE '%:%' THEN '[' || l.host || ']' ELSE l.host END
                  || ':' || l.port || ' ' || l.tls
                  || CASE WHEN l.auth_user <> '' THEN ' auth ' || l.auth_user ELSE '' END,
                  ', ' ORDER BY l.position) AS relays
  FROM outgoing_routes r
  LEFT JOIN outgoing_relays l ON l.route_id = r.id
 GROUP BY r.id
 ORDER BY r.position;
COMMENT ON VIEW outgoing_routes_overview IS
  'Outgoing routes in evaluation order with their relays (host:port tls [auth user]); no passwords.';

-- ---------------------------------------------------------------- change notification
CREATE TRIGGER outgoing_routes_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outgoing_routes
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
CREATE TRIGGER outgoing_relays_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outgoing_relays
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
