"""The server over TCP (``bib-lsp --tcp HOST:PORT``), for one client: it serves
until the client leaves, whether with ``exit``, by closing the connection or by
dropping it (a reset, a half-sent message), and then ends quietly, as the stdio
server ends at the end of its input. pygls's own ``start_tcp`` printed a traceback
for a dropped connection and went on listening with the old session's state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from pygls.io_ import run_async
from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)


def serve_tcp(server: LanguageServer, host: str, port: int) -> None:
    """Listen on ``host:port``, serve the first client until it leaves, return (the
    status is the server's to tell: whether `shutdown` came before)."""
    stop = threading.Event()
    server._stop_event = stop  # what pygls's shutdown() sets

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)
        try:
            await run_async(
                stop_event=stop,
                reader=reader,
                protocol=server.protocol,
                logger=logger,
                error_handler=server.report_server_error,
            )
        except SystemExit:  # `exit`: pygls's handler raises it (the caller sets the status)
            pass
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            logger.info("the client's connection ended abruptly: %r", error)
        finally:
            server.shutdown()  # type: ignore[no-untyped-call]  # closes the listener: one client

    async def listen() -> None:
        listening = await asyncio.start_server(connection, host, port)
        server._server = listening
        logger.info("serving on %s:%s", host, port)
        async with listening:
            with contextlib.suppress(asyncio.CancelledError):
                await listening.serve_forever()

    asyncio.run(listen())
