"""Production planning's writes, split by stage (build, flow, ctp, reschedule)."""
