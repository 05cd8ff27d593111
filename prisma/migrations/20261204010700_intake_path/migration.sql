-- Partner keys are kept for a few seconds in each app process (see
-- server/domain/integration/partner-key-cache.ts). Any change that can alter what a key may do
-- (the key itself, its sites, its partner, a site's code) tells every listening process to drop
-- what it holds; a key's own lastUsedAt stamp is not such a change.
CREATE FUNCTION notify_partner_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE'
     AND (to_jsonb(OLD) - 'last_used_at') = (to_jsonb(NEW) - 'last_used_at') THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('partner_keys_changed', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "api_keys_notify_changed" AFTER INSERT OR UPDATE OR DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION notify_partner_keys_changed();
CREATE TRIGGER "api_key_sites_notify_changed" AFTER INSERT OR UPDATE OR DELETE ON "api_key_sites"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_partner_keys_changed();
CREATE TRIGGER "partners_notify_changed" AFTER UPDATE OR DELETE ON "partners"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_partner_keys_changed();
CREATE TRIGGER "sites_notify_changed" AFTER UPDATE OF "code" OR DELETE ON "sites"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_partner_keys_changed();
