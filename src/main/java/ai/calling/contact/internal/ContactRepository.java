package ai.calling.contact.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface ContactRepository extends JpaRepository<Contact, UUID>, JpaSpecificationExecutor<Contact> {

    Optional<Contact> findByIdAndUserId(UUID id, UUID userId);

    Optional<Contact> findByUserIdAndPhoneNumber(UUID userId, String phoneNumber);

    /** The tenant's contacts among these ids (other tenants' ids are simply not found). */
    List<Contact> findByUserIdAndIdIn(UUID userId, Collection<UUID> ids);
}
