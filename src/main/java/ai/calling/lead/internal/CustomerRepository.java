package ai.calling.lead.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CustomerRepository extends JpaRepository<Customer, UUID> {

    Optional<Customer> findByIdAndUserId(UUID id, UUID userId);

    boolean existsByContactId(UUID contactId);

    Page<Customer> findByUserId(UUID userId, Pageable page);
}
