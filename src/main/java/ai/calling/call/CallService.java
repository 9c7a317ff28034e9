package ai.calling.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.criteria.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.bolna.BolnaClient;
import ai.calling.billing.HoldQuota;
import ai.calling.call.CallDtos.CallFilter;
import ai.calling.call.CallDtos.CallPosition;
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
import ai.calling.dnc.DoNotCallList;
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

    /** How often a repeated request polls for the outcome of the dial its key is waiting for. */
    private static final Duration REPLAY_POLL = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(CallService.class);

    /** When a caller over its account's cap on calls in progress is told to try again. */
    static final long ACCOUNT_CAP_RETRY_AFTER_SECONDS = 30;
    /** When a caller is told to try again while the platform is at Bolna's concurrency. */
    static final long PLATFORM_CAP_RETRY_AFTER_SECONDS = 10;

    private final CallRepository calls;
    private final CallDials dials;
    private final Dialer dialer;
    private final TranscriptRepository transcripts;
    private final AgentService agents;
    private final ContactService contacts;
    private final DoNotCallList doNotCall;
    private final BolnaClient bolna;
    private final BolnaProperties bolnaProperties;
    private final IdempotencyKeys idempotency;
    private final PhoneProperties phone;
    private final TransactionTemplate transactions;
    private final JsonMapper canonicalJson;
    private final JsonMapper json;

    CallService(CallRepository calls, CallDials dials, Dialer dialer, TranscriptRepository transcripts,
            AgentService agents, ContactService contacts, DoNotCallList doNotCall, BolnaClient bolna,
            BolnaProperties bolnaProperties, IdempotencyKeys idempotency, PhoneProperties phone,
            TransactionTemplate transactions, JsonMapper json) {
        this.calls = calls;
        this.dials = dials;
        this.dialer = dialer;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.doNotCall = doNotCall;
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
    public Started start(UUID userId, UUID memberId, StartCallRequest request, String idempotencyKey) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey;
        if (key != null && key.length() > 255) {
            throw ApiException.invalidField("Idempotency-Key", "must be at most 255 characters");
        }
        String hash = key == null ? null : Hashes.sha256(canonicalJson.writeValueAsString(request));
        Recorded recorded = transactions.execute(status -> record(userId, memberId, request, key, hash));
        if (recorded.replay() != null) {
            return replay(userId, key, recorded.replay());
        }
        return dial(userId, key, recorded.dial());
    }

    /** The first transaction: the Idempotency-Key, the checks, and the dial recorded with its hold and slot. */
    private Recorded record(UUID userId, UUID memberId, StartCallRequest request, String key, String hash) {
        if (key != null) {
            idempotency.lock(userId, key);
            Optional<IdempotencyKeys.Stored> stored = idempotency.find(userId, key);
            if (stored.isPresent()) {
                if (!stored.get().requestHash().equals(hash)) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable Content",
                            "This Idempotency-Key was used with a different request body");
                }
                return new Recorded(null, stored.get());
            }
        }
        String e164 = PhoneNumbers.requireE164("phoneNumber", request.phoneNumber(), phone.defaultRegion());
        CallableAgent agent = agents.callable(userId, request.agentId())
                .orElseThrow(() -> ApiException.notFound("The agent"));
        if (!agent.active()) {
            throw ApiException.conflict("The agent is inactive");
        }
        if (doNotCall.isListed(userId, e164)) {
            throw ApiException.conflict("This number is on a do-not-call list");
        }
        ContactView contact = request.contactId() != null ? contacts.get(userId, request.contactId())
                : contacts.findByPhone(userId, e164).orElse(null);
        Map<String, Object> userData = new LinkedHashMap<>(request.userData() == null ? Map.of() : request.userData());
        if (request.name() != null) {
            userData.putIfAbsent("name", request.name());
        }
        String callerName = request.name() != null ? request.name() : contact == null ? null : contact.name();
        Dialer.Recording recording = dialer.record(userId, agent, List.of(new Dialer.DialRequest(e164,
                contact == null ? null : contact.id(), callerName, userData, null, null, memberId)));
        if (recording.recorded().isEmpty()) {
            throw refusal(recording);
        }
        Dialer.RecordedDial dial = recording.recorded().getFirst();
        if (key != null) {
            idempotency.reserve(userId, key, hash, dial.callId());
        }
        return new Recorded(dial, null);
    }

    /** Why a single dial could not be recorded: the account's cap, its credits, or the platform's cap. */
    private static ApiException refusal(Dialer.Recording recording) {
        HoldQuota quota = recording.quota();
        return switch (recording.limitedBy()) {
            case CREDITS -> new ApiException(HttpStatus.PAYMENT_REQUIRED, "Payment Required", "A call of up to "
                    + quota.terms().maxCallDurationSeconds() + " s needs " + quota.terms().amount()
                    + " available credits and " + Math.max(0, quota.available())
                    + " are available; buy credits to start calls", List.of(),
                    Map.of("available", quota.available(), "required", quota.terms().amount()));
            case ACCOUNT_CAP -> ApiException.tooManyRequests("Your account has " + quota.open() + " calls in progress, "
                    + "the most it may have at once (" + quota.cap() + "); start this call when one of them has ended",
                    ACCOUNT_CAP_RETRY_AFTER_SECONDS);
            case PLATFORM_CAP, NONE -> ApiException.tooManyRequests("The platform is at its limit of calls in progress; "
                    + "try again in a moment", PLATFORM_CAP_RETRY_AFTER_SECONDS);
        };
    }

    /** POST /call with no transaction open; the outcome is recorded by the dialer, the answer kept under the key. */
    private Started dial(UUID userId, String key, Dialer.RecordedDial dial) {
        Dialer.Sent sent = dialer.send(List.of(dial)).getFirst();
        if (sent.refusal() != null) {
            if (key != null && sent.outcome().notTakenForNow()) {
                // never placed and nothing kept (the dialer forgot the call): the key may be used again
                transactions.executeWithoutResult(status -> idempotency.release(userId, key));
            } else if (key != null) {
                ApiException refused = sent.refusal();
                transactions.executeWithoutResult(status -> idempotency.complete(userId, key, refused.status().value(),
                        json.writeValueAsString(Map.of("status", refused.status().value(), "title", refused.title(),
                                "detail", refused.getMessage()))));
            }
            throw sent.refusal();
        }
        return transactions.execute(status -> {
            CallView call = view(owned(userId, dial.callId()), null);
            Started started = new Started("confirmed".equals(call.dialStatus()) ? HttpStatus.CREATED.value()
                    : HttpStatus.ACCEPTED.value(), call);
            if (key != null) {
                idempotency.complete(userId, key, started.status(), json.writeValueAsString(call));
            }
            return started;
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
            Optional<IdempotencyKeys.Stored> now = idempotency.find(userId, key);
            if (now.isEmpty()) {
                // the first request's dial was throttled and its key released: this one was not placed either
                throw ApiException.tooManyRequests("The first request with this key was not placed (too many calls "
                        + "at once); try again in a moment", PLATFORM_CAP_RETRY_AFTER_SECONDS);
            }
            current = now.get();
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
    private record Recorded(Dialer.RecordedDial dial, IdempotencyKeys.Stored replay) {
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

    /**
     * Asks Bolna to stop a call it has only queued (not ringing yet), as a cancelled campaign does;
     * calls further along go on. Best effort: Bolna's refusal is logged, the call's webhooks tell the end.
     */
    public void stopIfQueued(UUID userId, UUID callId) {
        Call call = transactions.execute(status -> calls.findByIdAndUserId(callId, userId).orElse(null));
        if (call == null || !"in_progress".equals(call.getStatus()) || call.getBolnaExecutionId() == null
                || !"initiated".equals(call.getCallLifecycleStatus())) {
            return;
        }
        try {
            bolna.stopCall(call.getBolnaExecutionId());
        } catch (ApiException notStopped) {
            log.info("Bolna did not stop queued call {}: {}", callId, notStopped.getMessage());
        }
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

    /** Where the provider keeps the call's recording; 404 when the call is not the caller's or has none. */
    public String recordingUrl(UUID userId, UUID callId) {
        return transactions.execute(status -> {
            String url = owned(userId, callId).getRecordingUrl();
            if (url == null || url.isBlank()) {
                throw ApiException.notFound("The recording of this call");
            }
            return url;
        });
    }

    /** Which of these calls exist: a dial Bolna refused or throttled leaves no call behind. */
    public Set<UUID> existingCalls(Collection<UUID> callIds) {
        return dials.existing(callIds);
    }

    /**
     * For reconciliation: calls Bolna placed that are still in progress and started before {@code before},
     * in the order they were created, after {@code after} (null: from the oldest).
     */
    public List<UnfinishedCall> unfinishedCalls(Instant before, CallPosition after, int limit) {
        return dials.unfinished(before, after, limit);
    }

    /**
     * For reconciliation: recorded dials still without an execution id that started before {@code before},
     * in the order they were created, after {@code after} (null: from the oldest).
     */
    public List<UnboundDial> unboundDials(Instant before, CallPosition after, int limit) {
        return dials.unbound(before, after, limit);
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
                dialStatus, c.getCampaignId(), c.getCreatedBy(), c.getDurationSeconds(), c.getDurationMinutes(), c.getCreditsUsed(), c.getRecordingUrl(),
                c.getHangupBy(), c.getHangupReason(), c.getHangupProviderCode(), c.getRingingStartedAt(),
                c.getCallAnsweredAt(), c.getCallDisconnectedAt(), c.getCompletedAt(), analysisStatus, c.getCreatedAt(),
                c.getUpdatedAt());
    }
}
