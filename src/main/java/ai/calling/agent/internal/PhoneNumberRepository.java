package ai.calling.agent.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.NativeQuery;

public interface PhoneNumberRepository extends JpaRepository<PhoneNumber, UUID> {

    Optional<PhoneNumber> findByAssignedToAgentId(UUID agentId);

    /**
     * The numbers assigned to these agents. One array parameter, not an IN list: Hibernate translates a
     * query whose list parameter changes length again on every run, and the dispatcher asks each round.
     */
    @NativeQuery("SELECT * FROM phone_numbers WHERE assigned_to_agent_id = ANY(:agentIds)")
    List<PhoneNumber> findByAssignedToAgentIds(UUID[] agentIds);

    boolean existsByPhoneNumberAndIsActiveTrue(String phoneNumber);
}
