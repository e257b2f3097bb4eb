"""Planning's services, split by stage: build (the engine places a version), checks (load, people,
kit), in_force (the schedule in force the engine places new work around)."""
