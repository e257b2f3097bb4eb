"""Planning's writes, split by stage: build and adjust (the engine places a version; pins, splits,
re-runs), checks (load, people, kit), in_force (the schedule in force the engine places new work
around), flow (submit, approve, reject, withdraw, re-open)."""
