package ai.calling.agent;

import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.internal.Agent;
import ai.calling.agent.internal.AgentRepository;
import ai.calling.agent.internal.PhoneNumber;
import ai.calling.agent.internal.PhoneNumberRepository;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;

/**
 * The caller ids admins hand out: one active row per number, one number per agent, only active
 * numbers assignable (the partial unique indexes back the first two against races).
 */
@Service
public class PhoneNumberService {

    private final PhoneNumberRepository numbers;
    private final AgentRepository agents;
    private final PhoneProperties phone;

    PhoneNumberService(PhoneNumberRepository numbers, AgentRepository agents, PhoneProperties phone) {
        this.numbers = numbers;
        this.agents = agents;
        this.phone = phone;
    }

    @Transactional
    public PhoneNumberView create(UUID adminId, String name, String rawNumber) {
        String e164 = PhoneNumbers.requireE164("phoneNumber", rawNumber, phone.defaultRegion());
        if (name == null || name.isBlank()) {
            throw ApiException.invalidField("name", "must not be blank");
        }
        if (numbers.existsByPhoneNumberAndIsActiveTrue(e164)) {
            throw ApiException.conflict("The number " + e164 + " is already registered and active");
        }
        return save(new PhoneNumber(name.trim(), e164, adminId), "The number " + e164 + " is already registered and active");
    }

    @Transactional(readOnly = true)
    public PageResponse<PhoneNumberView> list(PageRequest page) {
        return PageResponse.of(numbers.findAll(page), PhoneNumberService::view);
    }

    @Transactional
    public PhoneNumberView rename(UUID numberId, String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalidField("name", "must not be blank");
        }
        PhoneNumber number = find(numberId);
        number.setName(name.trim());
        return view(number);
    }

    /** Deactivating frees the number from its agent. */
    @Transactional
    public PhoneNumberView deactivate(UUID numberId) {
        PhoneNumber number = find(numberId);
        number.setAssignedToAgentId(null);
        number.setActive(false);
        return view(numbers.saveAndFlush(number));
    }

    @Transactional
    public PhoneNumberView assign(UUID numberId, UUID agentId) {
        PhoneNumber number = find(numberId);
        if (!number.isActive()) {
            throw ApiException.conflict("An inactive number cannot be assigned");
        }
        Agent agent = agents.findById(agentId).orElseThrow(() -> ApiException.invalidField("agentId", "is not an agent"));
        if (!agent.isActive()) {
            throw ApiException.conflict("The agent is inactive");
        }
        numbers.findByAssignedToAgentId(agentId).filter(other -> !other.getId().equals(numberId)).ifPresent(other -> {
            throw ApiException.conflict("The agent already has the number " + other.getPhoneNumber());
        });
        number.setAssignedToAgentId(agentId);
        return save(number, "The agent already has a number");
    }

    @Transactional
    public PhoneNumberView unassign(UUID numberId) {
        PhoneNumber number = find(numberId);
        number.setAssignedToAgentId(null);
        return view(number);
    }

    private PhoneNumberView save(PhoneNumber number, String conflict) {
        try {
            return view(numbers.saveAndFlush(number));
        } catch (DataIntegrityViolationException raceLost) {
            throw ApiException.conflict(conflict);
        }
    }

    private PhoneNumber find(UUID numberId) {
        return numbers.findById(numberId).orElseThrow(() -> ApiException.notFound("The phone number"));
    }

    static PhoneNumberView view(PhoneNumber n) {
        return new PhoneNumberView(n.getId(), n.getName(), n.getPhoneNumber(), n.isActive(), n.getAssignedToAgentId(),
                n.getCreatedByAdminId(), n.getCreatedAt(), n.getUpdatedAt());
    }

    public record PhoneNumberView(UUID id, String name, String phoneNumber, boolean active, UUID assignedToAgentId,
            UUID createdByAdminId, Instant createdAt, Instant updatedAt) {
    }
}
