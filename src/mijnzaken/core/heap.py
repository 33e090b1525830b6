"""The garbage collector of a serving process.

After start-up a serving process holds some 300,000 objects that live as long as it does:
modules, routes, schemas, the loaded specs and caches. Python's collector walks all of them in
every full (generation 2) collection, which then takes 0.2 s on a busy machine, and the
request that happens to trigger it waits that long. Requests themselves make thousands of
short-lived objects (a page of zaken with its expansions is some 10,000 dicts, lists and
strings), which at the default threshold of 700 set off several young collections per request.

So once start-up is done the long-lived objects are moved out of the collector's sight
(`gc.freeze`), and the youngest generation is collected after `gen0_threshold` allocations
instead of 700: most requests then finish, and free what they made, before one runs.
"""

from __future__ import annotations

import gc


def settle(gen0_threshold: int) -> None:
    """Freeze what start-up made and set the youngest generation's threshold (0: leave it)."""
    gc.collect()
    gc.freeze()
    if gen0_threshold > 0:
        _gen0, gen1, gen2 = gc.get_threshold()
        gc.set_threshold(gen0_threshold, gen1, gen2)
