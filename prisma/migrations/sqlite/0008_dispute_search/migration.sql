-- Written by hand (the Prisma schema cannot describe it; scripts/make-migration.mjs leaves these
-- tables alone). The queue's text search finds a rare party or project among 100,000 open
-- disputes from an index instead of reading every row: a trigram full-text index over
-- "Dispute"."searchText" (which is lower case), matching any substring of three characters or more.

-- CreateVirtualTable
CREATE VIRTUAL TABLE "DisputeSearch" USING fts5("searchText", content='Dispute', content_rowid='rowid', tokenize='trigram');

-- Index the rows already there
INSERT INTO "DisputeSearch"("DisputeSearch") VALUES ('rebuild');

-- Keep it in step with the table
CREATE TRIGGER "Dispute_search_insert" AFTER INSERT ON "Dispute" BEGIN
  INSERT INTO "DisputeSearch"(rowid, "searchText") VALUES (new.rowid, new."searchText");
END;
CREATE TRIGGER "Dispute_search_delete" AFTER DELETE ON "Dispute" BEGIN
  INSERT INTO "DisputeSearch"("DisputeSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
END;
CREATE TRIGGER "Dispute_search_update" AFTER UPDATE OF "searchText" ON "Dispute" BEGIN
  INSERT INTO "DisputeSearch"("DisputeSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
  INSERT INTO "DisputeSearch"(rowid, "searchText") VALUES (new.rowid, new."searchText");
END;
