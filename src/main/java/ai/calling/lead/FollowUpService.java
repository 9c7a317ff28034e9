package ai.calling.lead;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.criteria.Predicate;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;
import ai.calling.lead.internal.FollowUp;
import ai.calling.lead.internal.FollowUpRepository;

/** Follow-ups a user plans with a lead: dated today or later, pending until completed or cancelled. */
@Service
public class FollowUpService {

    static final Set<String> STATUSES = Set.of("pending", "completed", "cancelled");

    private final FollowUpRepository followUps;
    private final PhoneProperties phone;
    private final Clock clock;

    FollowUpService(FollowUpRepository followUps, PhoneProperties phone, Clock clock) {
        this.followUps = followUps;
        this.phone = phone;
        this.clock = clock;
    }

    @Transactional
    public FollowUpView create(UUID userId, UUID memberId, NewFollowUp request) {
        String e164 = PhoneNumbers.requireE164("leadPhone", request.leadPhone(), phone.defaultRegion());
        if (request.followUpDate().isBefore(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
            throw ApiException.invalidField("followUpDate", "must be today or later");
        }
        FollowUp followUp = new FollowUp(userId, e164, request.followUpDate(), memberId);
        followUp.setLeadName(blankToNull(request.leadName()));
        followUp.setLeadEmail(blankToNull(request.leadEmail()));
        followUp.setRemark(blankToNull(request.remark()));
        return view(followUps.saveAndFlush(followUp));
    }

    @Transactional(readOnly = true)
    public PageResponse<FollowUpView> list(UUID userId, LocalDate from, LocalDate to, String status, String leadPhone,
            PageRequest page) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalidField("status", "must be pending, completed or cancelled");
        }
        Specification<FollowUp> spec = (root, query, cb) -> {
            List<Predicate> p = new ArrayList<>();
            p.add(cb.equal(root.get("userId"), userId));
            if (from != null) {
                p.add(cb.greaterThanOrEqualTo(root.get("followUpDate"), from));
            }
            if (to != null) {
                p.add(cb.lessThanOrEqualTo(root.get("followUpDate"), to));
            }
            if (status != null) {
                p.add(cb.equal(root.get("followUpStatus"), status));
            }
            if (leadPhone != null) {
                p.add(cb.equal(root.get("leadPhone"), leadPhone));
            }
            return cb.and(p.toArray(Predicate[]::new));
        };
        return PageResponse.of(followUps.findAll(spec, page), FollowUpService::view);
    }

    @Transactional
    public FollowUpView changeStatus(UUID userId, UUID memberId, UUID followUpId, String status) {
        if (status == null || !STATUSES.contains(status)) {
            throw ApiException.invalidField("status", "must be pending, completed or cancelled");
        }
        FollowUp followUp = owned(userId, followUpId);
        followUp.changeStatus(status, memberId, Instant.now(clock));
        return view(followUps.saveAndFlush(followUp));
    }

    @Transactional
    public void delete(UUID userId, UUID followUpId) {
        followUps.delete(owned(userId, followUpId));
    }

    private FollowUp owned(UUID userId, UUID followUpId) {
        return followUps.findByIdAndUserId(followUpId, userId).orElseThrow(() -> ApiException.notFound("The follow-up"));
    }

    static FollowUpView view(FollowUp f) {
        return new FollowUpView(f.getId(), f.getLeadPhone(), f.getLeadName(), f.getLeadEmail(), f.getFollowUpDate(),
                f.getRemark(), f.getFollowUpStatus(), f.isCompleted(), f.getCompletedAt(), f.getCompletedBy(),
                f.getCreatedAt());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public record NewFollowUp(@NotBlank @Size(max = 50) String leadPhone, @Size(max = 255) String leadName,
            @Email @Size(max = 255) String leadEmail, @NotNull LocalDate followUpDate, @Size(max = 5000) String remark) {
    }

    public record FollowUpView(UUID id, String leadPhone, String leadName, String leadEmail, LocalDate followUpDate,
            String remark, String status, boolean isCompleted, Instant completedAt, UUID completedBy, Instant createdAt) {
    }
}
