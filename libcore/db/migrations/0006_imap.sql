-- 0006: what imapd needs beyond 0003: the flag arithmetic of STORE as one
-- function (so the statement that classifies a change and the one that makes
-- it cannot disagree), the header block of a stored message for HEADER
-- searches, and partial indexes for the two flag tests every session makes
-- (STATUS UNSEEN, EXPUNGE of \Deleted). No new tables.

-- STORE FLAGS / +FLAGS / -FLAGS (RFC 3501 §6.4.6) on one text[]: op is
-- 'replace', 'add' or 'remove'; names compare case-insensitively (flags and
-- keywords are case-insensitive atoms) and the result is sorted and distinct.
CREATE FUNCTION imap_apply_flags(current text[], op text, given text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT f ORDER BY f), '{}'::text[]) FROM (
    SELECT c FROM unnest(current) AS c
     WHERE op = 'add'
        OR (op = 'remove' AND lower(c) NOT IN (SELECT lower(g) FROM unnest(given) AS g))
    UNION ALL
    SELECT g FROM unnest(given) AS g
     WHERE op = 'replace'
        OR (op = 'add' AND lower(g) NOT IN (SELECT lower(c) FROM unnest(current) AS c))
  ) AS s(f)
$$;
COMMENT ON FUNCTION imap_apply_flags(text[], text, text[]) IS
  'IMAP STORE on a flag or keyword list: replace, add or remove (case-insensitive), sorted.';

-- The header block (up to the first empty line, within the first 64 KiB so
-- that only the first chunks of raw are read), as text: bytes that are not
-- printable ASCII become \ooo escapes, and a needle passed through the same
-- encode() matches byte for byte whatever its charset.
CREATE FUNCTION imap_header_block(raw bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(CASE WHEN position('\x0d0a0d0a'::bytea IN h) > 0
                     THEN substring(h FROM 1 FOR position('\x0d0a0d0a'::bytea IN h) + 1)
                     ELSE h END, 'escape')
    FROM (SELECT substring(raw FROM 1 FOR 65536)) AS s(h)
$$;
COMMENT ON FUNCTION imap_header_block(bytea) IS
  'Header fields of a raw message (first 64 KiB, up to the empty line), encode(..., ''escape'')d.';

CREATE INDEX mailbox_messages_unseen ON mailbox_messages (mailbox_id)
  WHERE NOT flags @> ARRAY['\Seen'];
CREATE INDEX mailbox_messages_deleted ON mailbox_messages (mailbox_id, uid)
  WHERE flags @> ARRAY['\Deleted'];
