"""CORS headers, so browser clients on other origins can call the server.

Every response says who may read it and which headers it may see; the methods and request
headers allowed matter only to a preflight (OPTIONS), so only those answers list them.
"""
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, Content-Location, ETag, Last-Modified",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS, HEAD",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization, If-Match, If-None-Match, If-None-Exist, "
                                    "If-Modified-Since, Prefer, X-Requested-With",
    "Access-Control-Max-Age": "86400",
}
