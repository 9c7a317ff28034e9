package ai.calling.call.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface CallRepository extends JpaRepository<Call, UUID>,
        JpaSpecificationExecutor<Call> {

    /** Tenant-scoped lookup: another user's call id answers empty, exactly like a missing one. */
    Optional<Call> findByIdAndUserId(UUID id, UUID userId);

    List<Call> findByBolnaExecutionIdIn(Collection<String> bolnaExecutionIds);
}
