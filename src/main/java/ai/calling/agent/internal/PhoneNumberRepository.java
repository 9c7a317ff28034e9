package ai.calling.agent.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface PhoneNumberRepository extends JpaRepository<PhoneNumber, UUID> {

    Optional<PhoneNumber> findByAssignedToAgentId(UUID agentId);

    boolean existsByPhoneNumberAndIsActiveTrue(String phoneNumber);
}
