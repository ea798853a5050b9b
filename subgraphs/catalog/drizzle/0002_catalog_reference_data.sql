-- Reference data the catalog cannot work without: the languages text may be
-- written in and the category tree with the sector that supervises each branch.
-- More languages or categories are more rows, not code.
INSERT INTO "catalog"."languages" ("tag", "name", "position") VALUES
  ('vi', '{"vi": "Tiếng Việt", "en": "Vietnamese"}', 0),
  ('en', '{"vi": "Tiếng Anh", "en": "English"}', 1)
ON CONFLICT ("tag") DO NOTHING;
--> statement-breakpoint
INSERT INTO "catalog"."categories" ("code", "parent_code", "path", "name", "sector", "position") VALUES
  ('fresh_produce', NULL, 'fresh_produce', '{"vi": "Nông sản, thủy sản tươi", "en": "Fresh farm and aquatic produce"}', 'AGRICULTURE', 0),
  ('rice', 'fresh_produce', 'fresh_produce.rice', '{"vi": "Lúa gạo", "en": "Rice"}', 'AGRICULTURE', 0),
  ('fruit', 'fresh_produce', 'fresh_produce.fruit', '{"vi": "Trái cây", "en": "Fruit"}', 'AGRICULTURE', 1),
  ('vegetable', 'fresh_produce', 'fresh_produce.vegetable', '{"vi": "Rau, củ, nấm", "en": "Vegetables and mushrooms"}', 'AGRICULTURE', 2),
  ('seafood', 'fresh_produce', 'fresh_produce.seafood', '{"vi": "Thủy sản", "en": "Fish and seafood"}', 'AGRICULTURE', 3),
  ('livestock', 'fresh_produce', 'fresh_produce.livestock', '{"vi": "Sản phẩm chăn nuôi", "en": "Meat, eggs and livestock products"}', 'AGRICULTURE', 4),
  ('manufactured', NULL, 'manufactured', '{"vi": "Hàng chế biến, công nghiệp", "en": "Processed and manufactured goods"}', 'INDUSTRY_TRADE', 1),
  ('processed_food', 'manufactured', 'manufactured.processed_food', '{"vi": "Thực phẩm chế biến", "en": "Processed food"}', 'INDUSTRY_TRADE', 0),
  ('beverage', 'manufactured', 'manufactured.beverage', '{"vi": "Đồ uống", "en": "Beverages"}', 'INDUSTRY_TRADE', 1),
  ('handicraft', 'manufactured', 'manufactured.handicraft', '{"vi": "Thủ công mỹ nghệ", "en": "Handicrafts"}', 'INDUSTRY_TRADE', 2),
  ('health_products', NULL, 'health_products', '{"vi": "Sản phẩm chăm sóc sức khỏe", "en": "Health and personal care products"}', 'HEALTH', 2),
  ('functional_food', 'health_products', 'health_products.functional_food', '{"vi": "Thực phẩm chức năng", "en": "Functional food"}', 'HEALTH', 0),
  ('cosmetics', 'health_products', 'health_products.cosmetics', '{"vi": "Mỹ phẩm", "en": "Cosmetics"}', 'HEALTH', 1)
ON CONFLICT ("code") DO NOTHING;
