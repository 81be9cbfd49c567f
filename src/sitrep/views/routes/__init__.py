"""The HTTP API's routers, one module per resource; views/api.py includes them."""
