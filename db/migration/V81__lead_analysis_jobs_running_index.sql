-- Jobs claimed ('running') whose worker stopped before finishing them (the instance was killed or
-- redeployed) are put back by a scheduled job; it finds them by their last update among the few
-- running ones, not by reading every job ever queued.
CREATE INDEX idx_lead_analysis_jobs_running ON lead_analysis_jobs (updated_at) WHERE state = 'running';
