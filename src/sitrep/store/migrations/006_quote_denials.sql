-- Denials within an article: is the quote a denial, and which quote or event it denies.
ALTER TABLE quotes ADD COLUMN denial BOOLEAN DEFAULT false;
ALTER TABLE quotes ADD COLUMN denies VARCHAR;
