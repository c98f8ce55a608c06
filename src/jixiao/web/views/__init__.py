"""Views, one module per area. Every view is wrapped in a decorator of
``jixiao.web.permissions`` that resolves its object and enforces the scope."""
