package ai.calling.lead.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface FollowUpRepository extends JpaRepository<FollowUp, UUID>,
        JpaSpecificationExecutor<FollowUp> {

    Optional<FollowUp> findByIdAndUserId(UUID id, UUID userId);
}
