-- 0006 (PostgreSQL): an alias is unique per server, not across servers (see ../0006_alias_scope.sql).

ALTER TABLE learned_aliases DROP CONSTRAINT learned_aliases_lang_group;
ALTER TABLE learned_aliases ADD CONSTRAINT learned_aliases_guild_lang_group UNIQUE (guild_id, lang, group_key);
CREATE INDEX learned_aliases_group_key ON learned_aliases (group_key);
