"""Guided lessons checked against what the learner did in the sandbox, and workshops where a
trainer runs a hall of phones. ``to_tracker`` is the one crossing into the tracker."""
