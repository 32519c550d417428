from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asynclint.asyncio_api import POLICY_APIS
from asynclint.rules.deprecated._references import ReferenceRule

if TYPE_CHECKING:
    pass
else:
    pass


class EventLoopPolicy(ReferenceRule):
    """Flags the event-loop policy system (`set_event_loop_policy()` and co.), deprecated in 3.14.

    ## What it does
    Reports references to `asyncio.get_event_loop_policy`, `asyncio.set_event_loop_policy` and
    the `*EventLoopPolicy` classes (`AbstractEventLoopPolicy`, `DefaultEventLoopPolicy`, the
    Windows ones), called, subclassed or only named, however they were imported. Code under
    `if sys.version_info < (3, 14):` is not reported.

    ## Why is this bad?
    Python 3.14 deprecates policies as a concept, with removal planned for 3.16. A program
    chooses its loop where it starts it instead: `asyncio.Runner(loop_factory=...)` (3.11+) or
    `asyncio.run(main(), loop_factory=...)` (3.12+), and `uvloop.run(main())` replaces
    `set_event_loop_policy(uvloop.EventLoopPolicy())`.

    ## Example
    ```python
    import asyncio

    class PatientPolicy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            loop = super().new_event_loop()
            loop.slow_callback_duration = 0.5
            return loop

    def serve(main):
        asyncio.set_event_loop_policy(PatientPolicy())
        asyncio.run(main())
    ```

    ## Use instead
    ```python
    import asyncio

    def patient_loop():
        loop = asyncio.new_event_loop()
        loop.slow_callback_duration = 0.5
        return loop

    def serve(main):
        with asyncio.Runner(loop_factory=patient_loop) as runner:
            runner.run(main())
    ```

    ## Fix safety
    No fix: a policy is global state that any code may consult (`get_event_loop_policy()`, a
    subclass's overrides, a library's `set_event_loop_policy()`), while a `loop_factory` is
    passed where the program starts its loop, so the rewrite needs a person who knows both.
    """

    CODE = "AIO312"
    NAME = "event-loop-policy"
    SINCE = "0.2.0"
    EQUIVALENTS = ()
    TRIGGERS = (("EventLoopPolicy", "event_loop_policy"),)
    DEPRECATED_IN = (3, 14)
    MESSAGE = "`{name}` is deprecated since Python 3.14: use a `loop_factory`"

    def reference(self, node: Any, qualified: str) -> None:
        if qualified in POLICY_APIS:
            self.report(node, name=qualified)
