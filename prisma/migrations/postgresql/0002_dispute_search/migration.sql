-- Written by hand (the Prisma schema cannot describe an operator class on both providers). The
-- queue's text search finds a rare party or project among 100,000 open disputes from an index
-- instead of reading every row: a trigram index over "Dispute"."searchText" (lower case), which
-- serves LIKE '%…%' for any substring of three characters or more. pg_trgm is a trusted
-- extension: the database's owner may create it.

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Dispute_searchText_trgm_idx" ON "Dispute" USING gin ("searchText" gin_trgm_ops);
