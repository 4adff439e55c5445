"""CORS headers, so browser clients on other origins can call the server."""
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS, HEAD",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization, If-Match, If-None-Match, If-None-Exist, "
                                    "If-Modified-Since, Prefer, X-Requested-With",
    "Access-Control-Expose-Headers": "Location, Content-Location, ETag, Last-Modified",
}
