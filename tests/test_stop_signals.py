"""formcheck.signals in-process: stop signals become Interrupted (exit 128 + N), deferred ones arrive at the end of
their block, and the previous handlers come back."""

from __future__ import annotations

import os
import signal

import pytest

from formcheck.errors import Interrupted
from formcheck.signals import stop_signals_deferred, stop_signals_raise


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_raises_interrupted(sig: signal.Signals) -> None:
    before = signal.getsignal(sig)
    with pytest.raises(Interrupted) as caught, stop_signals_raise():
        os.kill(os.getpid(), sig)
        for _ in range(1000):
            pass
    assert caught.value.exit_code == 128 + sig and sig.name in str(caught.value)
    assert isinstance(caught.value, KeyboardInterrupt)  # so `except Exception` never swallows it
    assert signal.getsignal(sig) == before


def test_a_deferred_signal_arrives_when_the_block_ends() -> None:
    reached = []
    with pytest.raises(Interrupted) as caught, stop_signals_raise():
        with stop_signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):
                pass
            reached.append("end of block")  # not cut short
    assert reached == ["end of block"] and caught.value.signum == signal.SIGTERM
