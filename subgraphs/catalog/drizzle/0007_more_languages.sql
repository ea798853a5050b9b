-- Chinese (Simplified), Korean and Japanese for export markets: product text
-- may now be written in them (a tag not in this table is refused on write).
-- Each language's name in every language, as in shared/src/languages.ts.
INSERT INTO "catalog"."languages" ("tag", "name", "position") VALUES
  ('zh', '{"vi": "Tiếng Trung (giản thể)", "en": "Chinese (Simplified)", "zh": "简体中文", "ko": "중국어(간체)", "ja": "中国語（簡体字）"}', 2),
  ('ko', '{"vi": "Tiếng Hàn", "en": "Korean", "zh": "韩语", "ko": "한국어", "ja": "韓国語"}', 3),
  ('ja', '{"vi": "Tiếng Nhật", "en": "Japanese", "zh": "日语", "ko": "일본어", "ja": "日本語"}', 4)
ON CONFLICT ("tag") DO NOTHING;
--> statement-breakpoint
UPDATE "catalog"."languages" SET "name" = "name" || '{"zh": "越南语", "ko": "베트남어", "ja": "ベトナム語"}'::jsonb WHERE "tag" = 'vi';
--> statement-breakpoint
UPDATE "catalog"."languages" SET "name" = "name" || '{"zh": "英语", "ko": "영어", "ja": "英語"}'::jsonb WHERE "tag" = 'en';
