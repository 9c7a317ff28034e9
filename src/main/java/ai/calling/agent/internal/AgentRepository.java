package ai.calling.agent.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.NativeQuery;
import org.springframework.data.jpa.repository.Query;

public interface AgentRepository extends JpaRepository<Agent, UUID>,
        JpaSpecificationExecutor<Agent> {

    /** Tenant-scoped lookup: another user's agent id answers empty, exactly like a missing one. */
    Optional<Agent> findByIdAndUserId(UUID id, UUID userId);

    Optional<Agent> findByBolnaAgentId(String bolnaAgentId);

    /** The tenant's agent, its row locked until the transaction ends (two re-activations at once). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT a FROM Agent a WHERE a.id = :id AND a.userId = :userId")
    Optional<Agent> lockByIdAndUserId(UUID id, UUID userId);

    /** These agents, by one array parameter: translated once (see {@link PhoneNumberRepository#findByAssignedToAgentIds}). */
    @NativeQuery("SELECT * FROM agents WHERE id = ANY(:ids)")
    List<Agent> findByIds(UUID[] ids);
}
