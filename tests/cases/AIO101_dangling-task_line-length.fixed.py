# The lines the fix writes are wrapped at the project's limit (79 here), as black would.
import asyncio
from typing import Any

_background_tasks: set[asyncio.Task[Any]] = set()


class Connection:
    def _process_notification(self, con_ref, pid, channel, payload):
        for cb in self._listeners[channel]:
            if cb.is_async:
                task = self._loop.create_task(
                    cb.cb(con_ref, pid, channel, payload)
                )  # error: AIO101
                _background_tasks.add(task)
                task.add_done_callback(_background_tasks.discard)
            else:
                self._loop.call_soon(cb.cb, con_ref, pid, channel, payload)

    def _on_release(self, callbacks, connection, record, statement_timeout):
        for callback in callbacks:
            task = self._loop.create_task(
                callback(
                    connection, record, statement_timeout, self._config.extra
                )
            )  # error: AIO101
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)

    def _short(self, cb):
        # Within the limit: left as the fix writes it.
        task = self._loop.create_task(cb())  # error: AIO101
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
