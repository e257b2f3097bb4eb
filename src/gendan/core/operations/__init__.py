"""What a deployment needs around the product: request ids, /healthz, the worker's heartbeat and
periodic jobs, backups."""
