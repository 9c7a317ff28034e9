package ai.calling.agent.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.NativeQuery;

public interface AgentRepository extends JpaRepository<Agent, UUID>,
        JpaSpecificationExecutor<Agent> {

    /** Tenant-scoped lookup: another user's agent id answers empty, exactly like a missing one. */
    Optional<Agent> findByIdAndUserId(UUID id, UUID userId);

    Optional<Agent> findByBolnaAgentId(String bolnaAgentId);

    /** These agents, by one array parameter: translated once (see {@link PhoneNumberRepository#findByAssignedToAgentIds}). */
    @NativeQuery("SELECT * FROM agents WHERE id = ANY(:ids)")
    List<Agent> findByIds(UUID[] ids);
}
