# The lines the fix writes are wrapped at the project's limit (79 here), as black would.
import asyncio


class Connection:
    def _process_notification(self, con_ref, pid, channel, payload):
        for cb in self._listeners[channel]:
            if cb.is_async:
                self._loop.create_task(cb.cb(con_ref, pid, channel, payload))  # error: AIO101
            else:
                self._loop.call_soon(cb.cb, con_ref, pid, channel, payload)

    def _on_release(self, callbacks, connection, record, statement_timeout):
        for callback in callbacks:
            self._loop.create_task(callback(connection, record, statement_timeout, self._config.extra))  # error: AIO101

    def _short(self, cb):
        # Within the limit: left as the fix writes it.
        self._loop.create_task(cb())  # error: AIO101
