-- Which claim of a lead-analysis job is the current one. A job's results are written only by the
-- worker holding its current claim: a job an account closure failed, that a stopped-worker sweep put
-- back and another worker claimed, or that a user asked to run again while it ran, is no longer its
-- claimer's, and that worker's results (read before, from an old prompt or of an erased account) are
-- dropped. NULL while queued.

ALTER TABLE lead_analysis_jobs ADD COLUMN claim UUID;
