"""Storage of department-years in the Django ORM (SQLite or PostgreSQL)."""
