package ai.calling.call.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.NativeQuery;

public interface TranscriptRepository extends JpaRepository<Transcript, UUID> {

    Optional<Transcript> findByCallIdAndUserId(UUID callId, UUID userId);

    /**
     * The transcripts of these calls (callers check each belongs to its call's tenant): an array parameter,
     * so that the query is translated once (see {@link CallRepository#findByBolnaExecutionIds}). The entity's
     * columns only: the search vectors are as long as the content again and nobody here reads them.
     */
    @NativeQuery("SELECT id, call_id, user_id, content, speaker_segments, analysis_status, created_at, updated_at"
            + " FROM transcripts WHERE call_id = ANY(:callIds)")
    List<Transcript> findByCallIds(UUID[] callIds);
}
