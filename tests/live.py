"""Requests over real HTTP to the servers the tests start: httpx's calls, made through one
client. Each of httpx's module-level calls builds a client, and with it a TLS context
(about 30 ms of CPU: a tenth of the suite's, measured); this one is built once. It keeps
no connection open between requests, as those calls do not."""

import httpx2 as httpx

_CLIENT = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))

get = _CLIENT.get
post = _CLIENT.post
put = _CLIENT.put
delete = _CLIENT.delete
head = _CLIENT.head
options = _CLIENT.options
request = _CLIENT.request
stream = _CLIENT.stream
