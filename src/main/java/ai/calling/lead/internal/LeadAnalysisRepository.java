package ai.calling.lead.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface LeadAnalysisRepository extends JpaRepository<LeadAnalysis, UUID> {

    List<LeadAnalysis> findByUserIdAndCallId(UUID userId, UUID callId);

    Optional<LeadAnalysis> findByUserIdAndPhoneNumberAndAnalysisType(UUID userId, String phoneNumber,
            String analysisType);
}
