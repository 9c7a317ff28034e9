package ai.calling.call.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface TranscriptRepository extends JpaRepository<Transcript, UUID> {

    Optional<Transcript> findByCallIdAndUserId(UUID callId, UUID userId);

    /** The transcripts of these calls (callers check each belongs to its call's tenant). */
    List<Transcript> findByCallIdIn(Collection<UUID> callIds);
}
