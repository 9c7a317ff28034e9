package ai.calling.call.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface CallRepository extends JpaRepository<Call, UUID>,
        JpaSpecificationExecutor<Call> {

    /** Tenant-scoped lookup: another user's call id answers empty, exactly like a missing one. */
    Optional<Call> findByIdAndUserId(UUID id, UUID userId);

    /**
     * The calls of these executions, in account order: a batch's calls are flushed in the order they were loaded,
     * and each call's end takes its account's analytics lock, so two processors' batches take the accounts' locks
     * in one order (decision 0054). A query of the entity (the native query it was had Hibernate resolve its
     * result set's mapping on every run, a third of the batch's load in JFR), whose id list is padded to a
     * multiple of {@value #EXECUTIONS_PER_QUERY}: Hibernate translates a query again whenever its list parameter
     * changes length (a webhook batch's executions differ each time), and that translation was a tenth of a
     * processor's CPU.
     */
    default List<Call> findByBolnaExecutionIds(String[] executionIds) {
        if (executionIds.length == 0) {
            return List.of();
        }
        int padded = (executionIds.length + EXECUTIONS_PER_QUERY - 1) / EXECUTIONS_PER_QUERY * EXECUTIONS_PER_QUERY;
        List<String> ids = new ArrayList<>(padded);
        ids.addAll(Arrays.asList(executionIds));
        while (ids.size() < padded) {
            ids.add(executionIds[0]);
        }
        return findByBolnaExecutionIdIn(ids);
    }

    /** The length {@link #findByBolnaExecutionIds} pads its list to (a webhook batch's most events). */
    int EXECUTIONS_PER_QUERY = 100;

    @Query("SELECT c FROM Call c WHERE c.bolnaExecutionId IN :executionIds ORDER BY c.userId, c.id")
    List<Call> findByBolnaExecutionIdIn(List<String> executionIds);

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
