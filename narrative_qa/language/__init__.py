"""Text helpers shared by every detector: parsing, lexicons, embeddings, the reading layer."""
