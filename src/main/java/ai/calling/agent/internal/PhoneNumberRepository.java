package ai.calling.agent.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface PhoneNumberRepository extends JpaRepository<PhoneNumber, UUID> {

    Optional<PhoneNumber> findByAssignedToAgentId(UUID agentId);

    List<PhoneNumber> findByAssignedToAgentIdIn(Collection<UUID> agentIds);

    boolean existsByPhoneNumberAndIsActiveTrue(String phoneNumber);
}
