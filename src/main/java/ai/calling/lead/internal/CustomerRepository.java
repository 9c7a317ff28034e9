package ai.calling.lead.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CustomerRepository extends JpaRepository<Customer, UUID> {

    Optional<Customer> findByIdAndUserId(UUID id, UUID userId);

    boolean existsByContactId(UUID contactId);

    org.springframework.data.domain.Page<Customer> findByUserId(UUID userId, org.springframework.data.domain.Pageable page);
}
