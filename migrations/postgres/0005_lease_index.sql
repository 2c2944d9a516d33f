-- Expired leases are found by their own index, so claiming never scans every job in flight.
CREATE INDEX jobs_leases ON scheduled_jobs(status, lease_until);
