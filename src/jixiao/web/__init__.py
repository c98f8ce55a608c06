"""The web application: pages for people, on top of the services (see README.md here)."""
