package ai.calling.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.criteria.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.agent.BolnaClient;
import ai.calling.agent.BolnaClient.Dial;
import ai.calling.billing.CreditLedger;
import ai.calling.call.CallDtos.CallFilter;
import ai.calling.call.CallDtos.CallView;
import ai.calling.call.CallDtos.Segment;
import ai.calling.call.CallDtos.StartCallRequest;
import ai.calling.call.CallDtos.TranscriptView;
import ai.calling.call.CallDtos.UnboundDial;
import ai.calling.call.CallDtos.UnfinishedCall;
import ai.calling.call.internal.Call;
import ai.calling.call.internal.CallDials;
import ai.calling.call.internal.CallRepository;
import ai.calling.call.internal.IdempotencyKeys;
import ai.calling.call.internal.Transcript;
import ai.calling.call.internal.TranscriptRepository;
import ai.calling.common.ApiException;
import ai.calling.common.Hashes;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.BolnaProperties;
import ai.calling.config.PhoneProperties;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound calls through Bolna and the tenant's view of its calls. A dial is recorded before it is
 * sent: one short transaction writes the call (without an execution id yet), holds the most it can
 * cost and reserves the Idempotency-Key; then {@code POST /call} goes out with no transaction or
 * connection held, carrying the call's id as {@code user_data.call_attempt_id}; a second short
 * transaction records the outcome. Placed: 201. Answer lost: 202, {@code dialStatus: unconfirmed},
 * the hold stays until a webhook or reconciliation settles the call. Certainly not placed: the record
 * and its hold go, and Bolna's refusal is answered. Every outcome is remembered under the key.
 */
@Service
public class CallService {

    private static final Logger log = LoggerFactory.getLogger(CallService.class);
    /** How often a repeated request polls for the outcome of the dial its key is waiting for. */
    private static final Duration REPLAY_POLL = Duration.ofMillis(50);

    private final CallRepository calls;
    private final CallDials dials;
    private final TranscriptRepository transcripts;
    private final AgentService agents;
    private final ContactService contacts;
    private final CreditLedger ledger;
    private final BolnaClient bolna;
    private final BolnaProperties bolnaProperties;
    private final IdempotencyKeys idempotency;
    private final PhoneProperties phone;
    private final TransactionTemplate transactions;
    private final JsonMapper canonicalJson;
    private final JsonMapper json;

    CallService(CallRepository calls, CallDials dials, TranscriptRepository transcripts, AgentService agents,
            ContactService contacts, CreditLedger ledger, BolnaClient bolna, BolnaProperties bolnaProperties,
            IdempotencyKeys idempotency, PhoneProperties phone, TransactionTemplate transactions, JsonMapper json) {
        this.calls = calls;
        this.dials = dials;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.ledger = ledger;
        this.bolna = bolna;
        this.bolnaProperties = bolnaProperties;
        this.idempotency = idempotency;
        this.phone = phone;
        this.transactions = transactions;
        this.json = json;
        this.canonicalJson = json.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    }

    /**
     * Starts an outbound call. With an Idempotency-Key, a repeat with the same body gets the first
     * answer (waiting for it while the first dial is on its way) and never dials again; another body
     * under the same key is 422. Refusals before anything was sent (400, 402, 404, 409, 429) keep
     * nothing, so the same key may be used again once the cause is gone.
     */
    public Started start(UUID userId, StartCallRequest request, String idempotencyKey) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey;
        if (key != null && key.length() > 255) {
            throw ApiException.invalidField("Idempotency-Key", "must be at most 255 characters");
        }
        String hash = key == null ? null : Hashes.sha256(canonicalJson.writeValueAsString(request));
        Recorded recorded = transactions.execute(status -> record(userId, request, key, hash));
        if (recorded.replay() != null) {
            return replay(userId, key, recorded.replay());
        }
        return dial(userId, key, recorded);
    }

    /** The first transaction: the Idempotency-Key, the checks, the call row and its credit hold. */
    private Recorded record(UUID userId, StartCallRequest request, String key, String hash) {
        if (key != null) {
            idempotency.lock(userId, key);
            Optional<IdempotencyKeys.Stored> stored = idempotency.find(userId, key);
            if (stored.isPresent()) {
                if (!stored.get().requestHash().equals(hash)) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable Content",
                            "This Idempotency-Key was used with a different request body");
                }
                return new Recorded(null, null, stored.get());
            }
        }
        String e164 = PhoneNumbers.requireE164("phoneNumber", request.phoneNumber(), phone.defaultRegion());
        CallableAgent agent = agents.callable(userId, request.agentId())
                .orElseThrow(() -> ApiException.notFound("The agent"));
        if (!agent.active()) {
            throw ApiException.conflict("The agent is inactive");
        }
        ContactView contact = request.contactId() != null ? contacts.get(userId, request.contactId())
                : contacts.findByPhone(userId, e164).orElse(null);
        Map<String, Object> userData = new LinkedHashMap<>(request.userData() == null ? Map.of() : request.userData());
        if (request.name() != null) {
            userData.putIfAbsent("name", request.name());
        }
        Call call = new Call(userId, agent.id(), null, e164);
        call.setDialStatus("dialing");
        call.setLeadType("outbound");
        call.setCallSource("phone");
        call.setContactId(contact == null ? null : contact.id());
        call.setCallerName(request.name() != null ? request.name() : contact == null ? null : contact.name());
        call.setMetadata(new LinkedHashMap<>(Map.of("user_data", userData)));
        call = calls.saveAndFlush(call);
        ledger.hold(userId, call.getId(), agent.maxCallDurationSeconds());
        if (key != null) {
            idempotency.reserve(userId, key, hash, call.getId());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agent.bolnaAgentId());
        body.put("recipient_phone_number", e164);
        if (agent.fromPhoneNumber() != null) {
            body.put("from_phone_number", agent.fromPhoneNumber());
        }
        Map<String, Object> sent = new LinkedHashMap<>(userData);
        sent.put("call_attempt_id", call.getId().toString());
        body.put("user_data", sent);
        return new Recorded(call.getId(), body, null);
    }

    /** POST /call with no transaction open, then the outcome in a second, short one. */
    private Started dial(UUID userId, String key, Recorded recorded) {
        UUID callId = recorded.callId();
        Dial dial;
        try {
            dial = bolna.placeCall(recorded.bolnaBody());
        } catch (ApiException refused) {
            forget(userId, key, callId, refused);
            throw refused;
        } catch (RuntimeException unexpected) {
            // thrown after the request may have left: the call may be ringing
            log.warn("Dial {} ended unexpectedly; it stays unconfirmed", callId, unexpected);
            dial = new Dial(null, "unexpected failure");
        }
        Dial outcome = dial;
        try {
            return transactions.execute(status -> {
                boolean placed = outcome.placed() && dials.confirm(callId, outcome.executionId());
                if (!placed) {
                    dials.markUnconfirmed(callId);
                }
                Started started = new Started(placed ? HttpStatus.CREATED.value() : HttpStatus.ACCEPTED.value(),
                        view(owned(userId, callId), null));
                if (key != null) {
                    idempotency.complete(userId, key, started.status(), json.writeValueAsString(started.call()));
                }
                return started;
            });
        } catch (DataAccessException e) {
            // the call is recorded and held: a webhook or reconciliation settles it, a repeat of the key waits
            log.error("The outcome of dial {} could not be recorded", callId, e);
            return new Started(HttpStatus.ACCEPTED.value(), transactions.execute(status -> view(owned(userId, callId), null)));
        }
    }

    /** Bolna certainly did not place the call: the record and its hold go; the key remembers the refusal. */
    private void forget(UUID userId, String key, UUID callId, ApiException refused) {
        transactions.executeWithoutResult(status -> {
            dials.forget(callId);
            if (key != null) {
                idempotency.complete(userId, key, refused.status().value(), json.writeValueAsString(
                        Map.of("status", refused.status().value(), "title", refused.title(), "detail",
                                refused.getMessage())));
            }
        });
    }

    /**
     * The answer of an earlier request with the same key: its call as it is now with the first status,
     * or the refusal it got. While the first dial is on its way, waits for its outcome, polling without
     * holding a connection, for as long as Bolna may take to answer.
     */
    private Started replay(UUID userId, String key, IdempotencyKeys.Stored stored) {
        Instant deadline = Instant.now().plus(bolnaProperties.readTimeout()).plusSeconds(5);
        IdempotencyKeys.Stored current = stored;
        while (!current.completed() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(REPLAY_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = idempotency.find(userId, key).orElse(current);
        }
        if (current.completed() && current.status() >= 400) {
            JsonNode problem = json.readTree(current.body());
            HttpStatus status = HttpStatus.valueOf(current.status());
            throw new ApiException(status, problem.path("title").asString(status.getReasonPhrase()),
                    problem.path("detail").asString(""));
        }
        int status = current.completed() ? current.status() : HttpStatus.ACCEPTED.value();
        UUID callId = current.callId();
        return new Started(status, transactions.execute(tx -> view(owned(userId, callId), null)));
    }

    /** What the first transaction produced: a recorded dial to send, or the stored answer to replay. */
    private record Recorded(UUID callId, Map<String, Object> bolnaBody, IdempotencyKeys.Stored replay) {
    }

    /** The answer to a start: 201 placed, 202 unconfirmed (or still on its way), with the call. */
    public record Started(int status, CallView call) {
    }

    /** Asks Bolna to stop a call that has not ended yet (Bolna stops only queued or scheduled ones). */
    public CallView stop(UUID userId, UUID callId) {
        Call call = transactions.execute(status -> owned(userId, callId));
        if (!"in_progress".equals(call.getStatus())) {
            throw ApiException.conflict("The call has already ended");
        }
        if (call.getBolnaExecutionId() == null) {
            throw ApiException.conflict("Bolna has not confirmed this call yet; try again in a moment");
        }
        bolna.stopCall(call.getBolnaExecutionId());
        return get(userId, callId);
    }

    public CallView get(UUID userId, UUID callId) {
        return transactions.execute(status -> {
            Call call = owned(userId, callId);
            return view(call, analysisStatus(call));
        });
    }

    public PageResponse<CallView> list(UUID userId, CallFilter filter, PageRequest page) {
        return transactions.execute(status -> PageResponse.of(calls.findAll(spec(userId, filter), page),
                call -> view(call, null)));
    }

    public TranscriptView transcript(UUID userId, UUID callId) {
        return transactions.execute(status -> {
            owned(userId, callId);
            Transcript transcript = transcripts.findByCallIdAndUserId(callId, userId)
                    .orElseThrow(() -> ApiException.notFound("The transcript of this call"));
            return new TranscriptView(callId, transcript.getContent(), transcript.getSpeakerSegments().stream()
                    .map(s -> new Segment(s.speaker(), s.text())).toList(), transcript.getAnalysisStatus(),
                    transcript.getUpdatedAt());
        });
    }

    /** For reconciliation: calls Bolna placed that are still in progress and started before {@code before}. */
    public List<UnfinishedCall> unfinishedCalls(Instant before, int limit) {
        return dials.unfinished(before, limit);
    }

    /** For reconciliation: recorded dials still without an execution id that started before {@code before}. */
    public List<UnboundDial> unboundDials(Instant before, int limit) {
        return dials.unbound(before, limit);
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

    /** A dial still on its way shows as unconfirmed: from outside, Bolna has not confirmed it. */
    static CallView view(Call c, String analysisStatus) {
        String dialStatus = c.getDialStatus() == null ? null : "confirmed".equals(c.getDialStatus()) ? "confirmed"
                : "unconfirmed";
        return new CallView(c.getId(), c.getAgentId(), c.getContactId(), c.getPhoneNumber(), c.getCallerName(),
                c.getStatus(), c.getCallLifecycleStatus(), c.getLeadType(), c.getCallSource(), c.getBolnaExecutionId(),
                dialStatus, c.getDurationSeconds(), c.getDurationMinutes(), c.getCreditsUsed(), c.getRecordingUrl(),
                c.getHangupBy(), c.getHangupReason(), c.getHangupProviderCode(), c.getRingingStartedAt(),
                c.getCallAnsweredAt(), c.getCallDisconnectedAt(), c.getCompletedAt(), analysisStatus, c.getCreatedAt(),
                c.getUpdatedAt());
    }
}
