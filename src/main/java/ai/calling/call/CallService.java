package ai.calling.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.agent.BolnaClient;
import ai.calling.billing.CreditLedger;
import ai.calling.call.CallDtos.CallFilter;
import ai.calling.call.CallDtos.CallView;
import ai.calling.call.CallDtos.Segment;
import ai.calling.call.CallDtos.StartCallRequest;
import ai.calling.call.CallDtos.TranscriptView;
import ai.calling.call.internal.Call;
import ai.calling.call.internal.CallRepository;
import ai.calling.call.internal.IdempotencyKeys;
import ai.calling.call.internal.Transcript;
import ai.calling.call.internal.TranscriptRepository;
import ai.calling.common.ApiException;
import ai.calling.common.Hashes;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactService;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound calls through Bolna and the tenant's view of its calls. A call row exists only when
 * Bolna accepted the call (its execution id is the key); Bolna failing leaves nothing and charges
 * nothing. With an Idempotency-Key, concurrent and repeated requests wait for and replay the first.
 */
@Service
public class CallService {

    private final CallRepository calls;
    private final TranscriptRepository transcripts;
    private final AgentService agents;
    private final ContactService contacts;
    private final CreditLedger ledger;
    private final BolnaClient bolna;
    private final IdempotencyKeys idempotency;
    private final PhoneProperties phone;
    private final JsonMapper canonicalJson;
    private final JsonMapper json;

    CallService(CallRepository calls, TranscriptRepository transcripts, AgentService agents, ContactService contacts,
            CreditLedger ledger, BolnaClient bolna, IdempotencyKeys idempotency, PhoneProperties phone, JsonMapper json) {
        this.calls = calls;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.ledger = ledger;
        this.bolna = bolna;
        this.idempotency = idempotency;
        this.phone = phone;
        this.json = json;
        this.canonicalJson = json.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    }

    /** Starts an outbound call; with a key, the same key and body replay the first answer (different body: 422). */
    @Transactional
    public CallView start(UUID userId, StartCallRequest request, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return place(userId, request);
        }
        if (idempotencyKey.length() > 255) {
            throw ApiException.invalidField("Idempotency-Key", "must be at most 255 characters");
        }
        String hash = Hashes.sha256(canonicalJson.writeValueAsString(request));
        idempotency.lock(userId, idempotencyKey);
        var stored = idempotency.find(userId, idempotencyKey);
        if (stored.isPresent()) {
            if (!stored.get().requestHash().equals(hash)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable Content",
                        "This Idempotency-Key was used with a different request body");
            }
            return json.readValue(stored.get().body(), CallView.class);
        }
        CallView placed = place(userId, request);
        idempotency.save(userId, idempotencyKey, hash, HttpStatus.CREATED.value(), json.writeValueAsString(placed));
        return placed;
    }

    private CallView place(UUID userId, StartCallRequest request) {
        String e164 = PhoneNumbers.requireE164("phoneNumber", request.phoneNumber(), phone.defaultRegion());
        CallableAgent agent = agents.callable(userId, request.agentId())
                .orElseThrow(() -> ApiException.notFound("The agent"));
        if (!agent.active()) {
            throw ApiException.conflict("The agent is inactive");
        }
        ContactView contact = request.contactId() != null ? contacts.get(userId, request.contactId())
                : contacts.findByPhone(userId, e164).orElse(null);
        if (ledger.balance(userId) <= 0) {
            throw new ApiException(HttpStatus.PAYMENT_REQUIRED, "Payment Required",
                    "Your credit balance is not positive; buy credits to start calls");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agent.bolnaAgentId());
        body.put("recipient_phone_number", e164);
        if (agent.fromPhoneNumber() != null) {
            body.put("from_phone_number", agent.fromPhoneNumber());
        }
        Map<String, Object> userData = new LinkedHashMap<>(request.userData() == null ? Map.of() : request.userData());
        if (request.name() != null) {
            userData.putIfAbsent("name", request.name());
        }
        if (!userData.isEmpty()) {
            body.put("user_data", userData);
        }
        String executionId = bolna.makeCall(body);
        Call call = new Call(userId, agent.id(), executionId, e164);
        call.setLeadType("outbound");
        call.setCallSource("phone");
        call.setContactId(contact == null ? null : contact.id());
        call.setCallerName(request.name() != null ? request.name() : contact == null ? null : contact.name());
        call.setMetadata(new LinkedHashMap<>(Map.of("user_data", userData)));
        return view(calls.saveAndFlush(call), null);
    }

    /** Asks Bolna to stop a call that has not ended yet. */
    @Transactional(readOnly = true)
    public CallView stop(UUID userId, UUID callId) {
        Call call = owned(userId, callId);
        if (!"in_progress".equals(call.getStatus())) {
            throw ApiException.conflict("The call has already ended");
        }
        bolna.stopCall(call.getBolnaExecutionId());
        return view(call, analysisStatus(call));
    }

    @Transactional(readOnly = true)
    public CallView get(UUID userId, UUID callId) {
        Call call = owned(userId, callId);
        return view(call, analysisStatus(call));
    }

    @Transactional(readOnly = true)
    public PageResponse<CallView> list(UUID userId, CallFilter filter, PageRequest page) {
        return PageResponse.of(calls.findAll(spec(userId, filter), page), call -> view(call, null));
    }

    @Transactional(readOnly = true)
    public TranscriptView transcript(UUID userId, UUID callId) {
        owned(userId, callId);
        Transcript transcript = transcripts.findByCallIdAndUserId(callId, userId)
                .orElseThrow(() -> ApiException.notFound("The transcript of this call"));
        return new TranscriptView(callId, transcript.getContent(), transcript.getSpeakerSegments().stream()
                .map(s -> new Segment(s.speaker(), s.text())).toList(), transcript.getAnalysisStatus(),
                transcript.getUpdatedAt());
    }

    private Call owned(UUID userId, UUID callId) {
        return calls.findByIdAndUserId(callId, userId).orElseThrow(() -> ApiException.notFound("The call"));
    }

    private String analysisStatus(Call call) {
        return transcripts.findByCallIdAndUserId(call.getId(), call.getUserId()).map(Transcript::getAnalysisStatus)
                .orElse(null);
    }

    private static Specification<Call> spec(UUID userId, CallFilter f) {
        return (root, query, cb) -> {
            List<Predicate> p = new ArrayList<>();
            p.add(cb.equal(root.get("userId"), userId));
            if (f.status() != null) {
                p.add(cb.equal(root.get("status"), f.status()));
            }
            if (f.lifecycle() != null) {
                p.add(cb.equal(root.get("callLifecycleStatus"), f.lifecycle()));
            }
            if (f.agentId() != null) {
                p.add(cb.equal(root.get("agentId"), f.agentId()));
            }
            if (f.leadType() != null) {
                p.add(cb.equal(root.get("leadType"), f.leadType()));
            }
            if (f.callSource() != null) {
                p.add(cb.equal(root.get("callSource"), f.callSource()));
            }
            if (f.from() != null) {
                p.add(cb.greaterThanOrEqualTo(root.<Instant>get("createdAt"), f.from()));
            }
            if (f.to() != null) {
                p.add(cb.lessThan(root.<Instant>get("createdAt"), f.to()));
            }
            if (f.phone() != null && !f.phone().isBlank()) {
                p.add(cb.like(root.get("phoneNumber"), "%" + f.phone().replaceAll("[^0-9+]", "") + "%"));
            }
            return cb.and(p.toArray(Predicate[]::new));
        };
    }

    static CallView view(Call c, String analysisStatus) {
        return new CallView(c.getId(), c.getAgentId(), c.getContactId(), c.getPhoneNumber(), c.getCallerName(),
                c.getStatus(), c.getCallLifecycleStatus(), c.getLeadType(), c.getCallSource(), c.getBolnaExecutionId(),
                c.getDurationSeconds(), c.getDurationMinutes(), c.getCreditsUsed(), c.getRecordingUrl(), c.getHangupBy(),
                c.getHangupReason(), c.getHangupProviderCode(), c.getRingingStartedAt(), c.getCallAnsweredAt(),
                c.getCallDisconnectedAt(), c.getCompletedAt(), analysisStatus, c.getCreatedAt(), c.getUpdatedAt());
    }
}
