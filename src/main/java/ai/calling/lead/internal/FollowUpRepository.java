package ai.calling.lead.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface FollowUpRepository extends JpaRepository<FollowUp, UUID>,
        org.springframework.data.jpa.repository.JpaSpecificationExecutor<FollowUp> {

    Optional<FollowUp> findByIdAndUserId(UUID id, UUID userId);
}
