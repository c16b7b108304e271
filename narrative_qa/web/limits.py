"""Request size, enforced on the bytes actually read.

A Content-Length over the limit is refused before anything is read; a body sent in chunks
(or with a Content-Length that lies) is counted as it arrives and refused as soon as it
passes the limit, whoever reads it (the CSRF check reads forms before authentication, the
routes read uploads), so no request holds more than the limit in memory or on disk.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (scope, how many bytes were declared or read) -> the refusal, as an ASGI app
Refusal = Callable[[Scope, int], ASGIApp]


class BodyTooLarge(Exception):
    """Raised to whoever reads past the limit; the middleware answers 413 instead."""


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int, refusal: Refusal):
        self.app, self.limit, self.refusal = app, limit, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self.refusal(scope, int(declared))(scope, receive, send)
            return
        state = {"read": 0, "over": False, "started": False}

        async def counted() -> Message:
            if state["over"]:
                raise BodyTooLarge(state["read"])
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.limit:
                    state["over"] = True
                    raise BodyTooLarge(state["read"])
            return message

        async def answer(message: Message) -> None:
            if not state["over"]:
                state["started"] = state["started"] or message["type"] == \
                    "http.response.start"
                await send(message)
            elif not state["started"]:  # whatever the reader made of the error: a 413
                state["started"] = True
                await self.refusal(scope, state["read"])(scope, receive, send)

        try:
            await self.app(scope, counted, answer)
        except BodyTooLarge:
            if not state["started"]:
                state["started"] = True
                await self.refusal(scope, state["read"])(scope, receive, send)
