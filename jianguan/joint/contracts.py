"""What other apps may use of joint supervision: the exchange hands over a joint task dispatched from above and
reads the units' feedback to push upward (ADR 0056)."""

from __future__ import annotations

from .dispatch import DispatchIn as DispatchIn
from .dispatch import FeedbackCard as FeedbackCard
from .dispatch import Problem as Problem
from .dispatch import dispatch_problems as dispatch_problems
from .dispatch import dispatch_receive as dispatch_receive
from .dispatch import feedback_list as feedback_list
from .dispatch import is_dispatch as is_dispatch
