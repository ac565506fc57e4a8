-- Full-text index of products for public search (GET /search, src/search): FTS5 over name, brand,
-- description and category, which live inside the `fields` JSON. External content, so the text is
-- stored once (in products); the index reads it through a view and stays in sync by triggers.
--
-- The index is tied to products by rowid. Anything that rewrites the products table wholesale (a
-- drizzle-kit table rebuild, which also drops these triggers) must re-create the triggers and end
-- with the 'rebuild' command below, which re-indexes every product from the view.
CREATE VIEW `products_search_text` AS
SELECT rowid AS product_rowid,
  json_extract(fields, '$.name.value') AS name,
  json_extract(fields, '$.brand.value') AS brand,
  json_extract(fields, '$.description.value') AS description,
  json_extract(fields, '$.category.value') AS category
FROM products;
--> statement-breakpoint
-- unicode61 folds case and (remove_diacritics 2) accents: "Épicerie" matches "epicerie".
CREATE VIRTUAL TABLE `products_fts` USING fts5(
  name, brand, description, category,
  content = 'products_search_text', content_rowid = 'product_rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO products_fts (rowid, name, brand, description, category)
  VALUES (new.rowid, json_extract(new.fields, '$.name.value'), json_extract(new.fields, '$.brand.value'),
    json_extract(new.fields, '$.description.value'), json_extract(new.fields, '$.category.value'));
END;
--> statement-breakpoint
-- An external-content delete must name the values that were indexed: the old row's, extracted the same way.
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, brand, description, category)
  VALUES ('delete', old.rowid, json_extract(old.fields, '$.name.value'), json_extract(old.fields, '$.brand.value'),
    json_extract(old.fields, '$.description.value'), json_extract(old.fields, '$.category.value'));
END;
--> statement-breakpoint
-- Only `fields` feeds the index; status, completeness and the rest change without touching it.
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF `fields` ON `products` BEGIN
  INSERT INTO products_fts (products_fts, rowid, name, brand, description, category)
  VALUES ('delete', old.rowid, json_extract(old.fields, '$.name.value'), json_extract(old.fields, '$.brand.value'),
    json_extract(old.fields, '$.description.value'), json_extract(old.fields, '$.category.value'));
  INSERT INTO products_fts (rowid, name, brand, description, category)
  VALUES (new.rowid, json_extract(new.fields, '$.name.value'), json_extract(new.fields, '$.brand.value'),
    json_extract(new.fields, '$.description.value'), json_extract(new.fields, '$.category.value'));
END;
--> statement-breakpoint
-- Products that existed before this migration.
INSERT INTO products_fts (products_fts) VALUES ('rebuild');
