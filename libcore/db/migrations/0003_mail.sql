-- 0003: mail storage. Bodies are stored once, content-addressed by SHA-256,
-- with what proto/mime parsed at delivery beside them (IMAP never re-parses).
-- Mailboxes carry the IMAP UIDVALIDITY/UIDNEXT/HIGHESTMODSEQ counters; each
-- mailbox entry has its UID, flags, keywords and MODSEQ (RFC 3501, RFC 7162).
-- Expunged UIDs are remembered for QRESYNC. Not configuration: no NOTIFY here.

-- Fresh UIDVALIDITY values: strictly increasing, starting at the install time
-- in seconds, so a re-created mailbox (or a re-installed server) never repeats one.
CREATE SEQUENCE mailbox_uidvalidity_seq MINVALUE 1 MAXVALUE 4294967295;
SELECT setval('mailbox_uidvalidity_seq', extract(epoch FROM now())::bigint);
COMMENT ON SEQUENCE mailbox_uidvalidity_seq IS 'Source of mailboxes.uidvalidity.';

CREATE TABLE mailboxes (
  id               bigserial PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name             text NOT NULL CHECK (name <> '' AND (upper(name) <> 'INBOX' OR name = 'INBOX')),
  special_use      text CHECK (special_use IN ('\All', '\Archive', '\Drafts', '\Flagged', '\Junk', '\Sent', '\Trash')),
  uidvalidity      bigint NOT NULL DEFAULT nextval('mailbox_uidvalidity_seq')
                   CHECK (uidvalidity BETWEEN 1 AND 4294967295),
  uidnext          bigint NOT NULL DEFAULT 1 CHECK (uidnext BETWEEN 1 AND 4294967296),
  highest_modseq   bigint NOT NULL DEFAULT 1 CHECK (highest_modseq >= 1),
  first_recent_uid bigint NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);
COMMENT ON TABLE mailboxes IS
  'IMAP folders of an account (INBOX, Sent, Drafts, Trash, Junk and the user''s own). '
  'A new message takes uidnext and bumps uidnext and highest_modseq in one UPDATE.';
COMMENT ON COLUMN mailboxes.name IS 'Full name, UTF-8, hierarchy delimiter "/"; INBOX always spelt INBOX.';
COMMENT ON COLUMN mailboxes.special_use IS 'RFC 6154 attribute (\Sent, \Drafts, \Trash, \Junk...); NULL: none.';
COMMENT ON COLUMN mailboxes.uidnext IS 'The UID the next message will get (RFC 3501 UIDNEXT).';
COMMENT ON COLUMN mailboxes.highest_modseq IS 'RFC 7162 HIGHESTMODSEQ: bumped by every change to the mailbox.';
COMMENT ON COLUMN mailboxes.first_recent_uid IS 'Messages with uid >= this are \Recent; the first session to SELECT advances it.';

CREATE TABLE subscriptions (
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (name <> ''),
  PRIMARY KEY (account_id, name)
);
COMMENT ON TABLE subscriptions IS
  'IMAP subscriptions (SUBSCRIBE/LSUB): mailbox names, which need not exist.';

CREATE TABLE bodies (
  id            bigserial PRIMARY KEY,
  sha256        bytea NOT NULL UNIQUE CHECK (octet_length(sha256) = 32),
  size          bigint NOT NULL CHECK (size >= 0),
  raw           bytea NOT NULL,
  envelope      text NOT NULL DEFAULT '',
  body          text NOT NULL DEFAULT '',
  bodystructure text NOT NULL DEFAULT '',
  parts         text NOT NULL DEFAULT '',
  subject       text NOT NULL DEFAULT '',
  from_text     text NOT NULL DEFAULT '',
  to_text       text NOT NULL DEFAULT '',
  cc_text       text NOT NULL DEFAULT '',
  message_id    text NOT NULL DEFAULT '',
  date_text     text NOT NULL DEFAULT '',
  header_date   timestamptz,
  search_text   text NOT NULL DEFAULT '',
  -- tsvector values are limited to 1 MB: index the first 100,000 characters.
  search        tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(search_text, 100000))) STORED,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Uncompressed out-of-line storage: substring(raw ...) reads only the chunks
-- it needs, so partial FETCHes of large messages stay cheap.
ALTER TABLE bodies ALTER COLUMN raw SET STORAGE EXTERNAL;
CREATE INDEX bodies_search ON bodies USING gin (search);
COMMENT ON TABLE bodies IS
  'Message bodies, each stored once however many mailboxes or queue entries hold it '
  '(key: sha256 of raw), with the results of parsing it once at delivery.';
COMMENT ON COLUMN bodies.raw IS 'The message exactly as received, CRLF line ends; size = octet_length(raw).';
COMMENT ON COLUMN bodies.envelope IS 'IMAP ENVELOPE, ready to send.';
COMMENT ON COLUMN bodies.body IS 'IMAP BODY (non-extensible BODYSTRUCTURE), ready to send.';
COMMENT ON COLUMN bodies.bodystructure IS 'IMAP BODYSTRUCTURE, ready to send.';
COMMENT ON COLUMN bodies.parts IS 'MIME tree with byte offsets of every part (proto/mime serialisation); empty: not stored.';
COMMENT ON COLUMN bodies.subject IS 'Decoded Subject (RFC 2047), UTF-8.';
COMMENT ON COLUMN bodies.header_date IS 'The Date header as a time; NULL when missing or unparsable.';
COMMENT ON COLUMN bodies.search_text IS 'Plain text of headers and text parts, UTF-8, for SEARCH.';
COMMENT ON COLUMN bodies.search IS 'Full-text index input (simple configuration), generated from search_text.';

CREATE TABLE mailbox_messages (
  id            bigserial UNIQUE,
  mailbox_id    bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  uid           bigint NOT NULL CHECK (uid BETWEEN 1 AND 4294967295),
  body_id       bigint NOT NULL REFERENCES bodies (id),
  size          bigint NOT NULL CHECK (size >= 0),
  flags         text[] NOT NULL DEFAULT '{}'
                CHECK (flags <@ ARRAY['\Seen', '\Answered', '\Flagged', '\Deleted', '\Draft']),
  keywords      text[] NOT NULL DEFAULT '{}',
  modseq        bigint NOT NULL CHECK (modseq >= 1),
  internal_date timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX mailbox_messages_modseq ON mailbox_messages (mailbox_id, modseq);
CREATE INDEX mailbox_messages_body ON mailbox_messages (body_id);
COMMENT ON TABLE mailbox_messages IS
  'Messages in mailboxes: one row per (mailbox, UID), pointing at a shared body. '
  'Expunging deletes the row and records the UID in expunged_messages.';
COMMENT ON COLUMN mailbox_messages.id IS 'Stable, never reused: the POP3 UIDL of the message.';
COMMENT ON COLUMN mailbox_messages.size IS 'Copy of bodies.size (RFC822.SIZE, POP3 LIST, quota).';
COMMENT ON COLUMN mailbox_messages.flags IS 'IMAP system flags (\Seen \Answered \Flagged \Deleted \Draft).';
COMMENT ON COLUMN mailbox_messages.keywords IS 'IMAP keywords (user flags, $Forwarded, $Junk...).';
COMMENT ON COLUMN mailbox_messages.modseq IS 'RFC 7162 MODSEQ of the last change to this entry.';
COMMENT ON COLUMN mailbox_messages.internal_date IS 'IMAP INTERNALDATE: delivery time, or the APPEND date.';

CREATE TABLE expunged_messages (
  mailbox_id  bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
  uid         bigint NOT NULL,
  modseq      bigint NOT NULL,
  expunged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX expunged_messages_modseq ON expunged_messages (mailbox_id, modseq);
COMMENT ON TABLE expunged_messages IS
  'UIDs expunged from a mailbox and the MODSEQ of the expunge, for QRESYNC VANISHED '
  '(RFC 7162) and for sessions catching up; old rows may be purged.';

-- ---------------------------------------------------------------- views
CREATE VIEW mailbox_sizes AS
SELECT a.name AS account,
       m.name AS mailbox,
       m.special_use,
       count(mm.uid) AS messages,
       count(mm.uid) FILTER (WHERE NOT mm.flags @> ARRAY['\Seen']) AS unseen,
       coalesce(sum(mm.size), 0)::bigint AS bytes
  FROM mailboxes m
  JOIN accounts a ON a.id = m.account_id
  LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id
 GROUP BY a.name, m.id, m.name, m.special_use;
COMMENT ON VIEW mailbox_sizes IS 'Per mailbox of every account: messages, unseen, bytes.';

CREATE VIEW account_usage AS
SELECT a.name AS account,
       count(DISTINCT m.id) AS mailboxes,
       count(mm.uid) AS messages,
       coalesce(sum(mm.size), 0)::bigint AS bytes,
       count(mm.uid) FILTER (WHERE m.name = 'INBOX') AS inbox_messages,
       count(mm.uid) FILTER (WHERE m.name = 'INBOX' AND NOT mm.flags @> ARRAY['\Seen']) AS inbox_unseen,
       a.quota_mb
  FROM accounts a
  LEFT JOIN mailboxes m ON m.account_id = a.id
  LEFT JOIN mailbox_messages mm ON mm.mailbox_id = m.id
 GROUP BY a.id, a.name, a.quota_mb;
COMMENT ON VIEW account_usage IS
  'Per account: mailboxes, messages and bytes in all of them, INBOX count and unseen, quota.';
