import asyncio
import shop.store
from shop import save_order as reexported
from shop import store as st

from .. import store
from ..store import Connection, audit, cached, format_order
from ..store import save_order as persist


class Buffer:
    def close(self):
        return None


class Session(Connection):
    async def finish(self, buf: Buffer):
        self.close()  # error: AIO401
        self.reset()
        buf.close()


async def checkout(order):
    shop.store.save_order(order)  # error: AIO401
    st.save_order(order)  # error: AIO401
    reexported(order)  # error: AIO401
    persist(order)  # error: AIO401
    store.save_order(order)  # error: AIO401
    audit(order)  # error: AIO401
    cached(order)  # an unknown decorator: not known to be a coroutine function
    format_order(order)
    if persist(order):  # error: AIO402
        pass
    pending = persist(order)  # error: AIO403
    format_order(pending)
    handed = persist(order)
    await asyncio.wait_for(handed, 1)
    await persist(order)
    return [persist(order)]


def sync_entry(order):
    persist(order)  # error: AIO401
