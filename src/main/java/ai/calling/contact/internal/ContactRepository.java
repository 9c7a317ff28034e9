package ai.calling.contact.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ContactRepository extends JpaRepository<Contact, UUID> {

    Optional<Contact> findByIdAndUserId(UUID id, UUID userId);

    Optional<Contact> findByUserIdAndPhoneNumber(UUID userId, String phoneNumber);
}
