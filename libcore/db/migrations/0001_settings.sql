-- 0001: server-wide settings, and the change notification every configuration
-- table shares: a later migration adding a configuration table only needs
--   CREATE TRIGGER <table>_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
--     ON <table> FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();

CREATE FUNCTION pillarbox_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Delivered at commit, once per distinct payload per transaction.
  PERFORM pg_notify('pillarbox_config',
                    json_build_object('table', TG_TABLE_NAME, 'op', TG_OP)::text);
  RETURN NULL;
END;
$$;
COMMENT ON FUNCTION pillarbox_config_changed() IS
  'Statement trigger of every configuration table: NOTIFY pillarbox_config with '
  '{"table": ..., "op": ...}; the master turns it into config.changed on the bus, '
  'so edits (API, CLI or psql) take effect without a reload.';

CREATE FUNCTION pillarbox_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION pillarbox_touch_updated_at() IS
  'Row trigger: sets updated_at to the time of the transaction that changed the row.';

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE settings IS
  'Server-wide settings, one JSON value per key. Changes are announced on '
  'NOTIFY channel pillarbox_config and apply within a second.';
COMMENT ON COLUMN settings.key IS 'Setting name, dotted by area (area.name).';
COMMENT ON COLUMN settings.value IS 'Setting value as JSON (number, string, object...).';
COMMENT ON COLUMN settings.updated_at IS 'When the value last changed (kept by a trigger).';

CREATE TRIGGER settings_touch_updated_at
  BEFORE UPDATE ON settings
  FOR EACH ROW EXECUTE FUNCTION pillarbox_touch_updated_at();

CREATE TRIGGER settings_config_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION pillarbox_config_changed();
COMMENT ON TRIGGER settings_config_changed ON settings IS
  'Announces every change on NOTIFY channel pillarbox_config.';
