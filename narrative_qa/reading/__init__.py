"""Files -> rows -> validated Submission records (tables, headers, values, records, Word)."""
