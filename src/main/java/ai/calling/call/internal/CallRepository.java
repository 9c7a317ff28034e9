package ai.calling.call.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.NativeQuery;
import org.springframework.data.jpa.repository.Query;

public interface CallRepository extends JpaRepository<Call, UUID>,
        JpaSpecificationExecutor<Call> {

    /** Tenant-scoped lookup: another user's call id answers empty, exactly like a missing one. */
    Optional<Call> findByIdAndUserId(UUID id, UUID userId);

    /**
     * The calls of these executions. One array parameter, not an IN list: Hibernate translates a query
     * whose list parameter changes length again on every run (a webhook batch's executions differ each
     * time), and that translation was a tenth of a webhook processor's CPU (JFR, campaign dispatch). The
     * entity's columns only (not the dial's user data or the call's Bolna settings). In account order: a
     * batch's calls are flushed in the order they were loaded, and each call's end takes its account's
     * analytics lock, so two processors' batches take the accounts' locks in one order (decision 0054).
     */
    @NativeQuery("""
            SELECT id, agent_id, user_id, contact_id, bolna_execution_id, dial_status, campaign_id, campaign_recipient_id,
                   created_by, phone_number, call_source, caller_name, lead_type, duration_minutes, duration_seconds,
                   credits_used, status, recording_url, bolna_metadata, call_lifecycle_status, hangup_by, hangup_reason,
                   hangup_provider_code, ringing_started_at, call_answered_at, call_disconnected_at, transcript_id,
                   completed_at, created_at, updated_at
              FROM calls WHERE bolna_execution_id = ANY(:executionIds)
             ORDER BY user_id, id""")
    List<Call> findByBolnaExecutionIds(String[] executionIds);

    /**
     * The recorded dials of this agent to these numbers that no execution is bound to yet (Bolna has not
     * answered, or its answer was lost), made since {@code since}, locked until the transaction ends.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("""
            SELECT c FROM Call c WHERE c.agentId = :agentId AND c.phoneNumber IN :numbers AND c.bolnaExecutionId IS NULL
               AND c.status = 'in_progress' AND c.dialStatus IN ('dialing', 'unconfirmed') AND c.createdAt > :since
             ORDER BY c.id""")
    List<Call> lockUnboundDials(UUID agentId, Collection<String> numbers, Instant since);

    /** The call, locked until the transaction ends (binding a recorded dial to its execution). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT c FROM Call c WHERE c.id = :id")
    Optional<Call> lockById(UUID id);
}
