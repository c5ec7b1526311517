"""RQ jobs, gateway adapters and cron registrations."""
