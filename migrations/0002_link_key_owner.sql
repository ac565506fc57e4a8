-- One organisation per primary key: the first organisation to publish links for a key owns it.
-- A trigger makes the check part of the INSERT itself, so two organisations racing for the same
-- key cannot both win (D1 runs writes one at a time).
CREATE TRIGGER `dl_entities_single_owner`
BEFORE INSERT ON `dl_entities`
WHEN EXISTS (
  SELECT 1 FROM `dl_entities` other
  WHERE other.key_ai = NEW.key_ai AND other.key_value = NEW.key_value AND other.org_id <> NEW.org_id
)
BEGIN
  SELECT RAISE(ABORT, 'dl_key_owned_by_another_organisation');
END;
