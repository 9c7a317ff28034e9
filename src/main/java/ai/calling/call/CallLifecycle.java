package ai.calling.call;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.agent.AgentService;
import ai.calling.agent.AgentService.CallableAgent;
import ai.calling.billing.CreditLedger;
import ai.calling.call.internal.Call;
import ai.calling.call.internal.CallRepository;
import ai.calling.call.internal.SpeakerSegment;
import ai.calling.call.internal.Transcript;
import ai.calling.call.internal.TranscriptRepository;
import ai.calling.config.SystemSettings;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies Bolna execution objects (from webhooks, a replay or reconciliation: one code path) to
 * their calls. Events of one execution are serialised by a transaction-scoped advisory lock. The
 * lifecycle only moves forward, each timestamp is set once, and the terminal work (duration,
 * billing, not-connected count) happens exactly once, when the call first becomes terminal.
 */
@Service
public class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

    private final CallRepository calls;
    private final TranscriptRepository transcripts;
    private final AgentService agents;
    private final ContactService contacts;
    private final CreditLedger ledger;
    private final SystemSettings settings;
    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final EntityManager entityManager;

    CallLifecycle(CallRepository calls, TranscriptRepository transcripts, AgentService agents, ContactService contacts,
            CreditLedger ledger, SystemSettings settings, ApplicationEventPublisher events, JdbcClient jdbc,
            JsonMapper json, EntityManager entityManager) {
        this.calls = calls;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.ledger = ledger;
        this.settings = settings;
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
        this.entityManager = entityManager;
    }

    /** The execution id of a payload: {@code id}, or {@code execution_id}. */
    public static Optional<String> executionId(JsonNode execution) {
        for (String field : new String[] { "id", "execution_id" }) {
            String value = execution.path(field).asString("");
            if (!value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * Applies execution objects to their calls, in one transaction: one statement locks every
     * execution (in a fixed order, so two batches cannot deadlock on these locks), one loads their
     * calls, each call's updates are folded in the order given, and the changed calls are written in
     * one flush. Returns the execution ids that concern no agent of ours (nothing was written for them).
     */
    @Transactional
    public Set<String> apply(List<JsonNode> executions) {
        // the queries below read nothing this method changes; without this, each of them would first
        // dirty-check every call of the batch (a third of the processor's time, measured with JFR)
        entityManager.setFlushMode(FlushModeType.COMMIT);
        Map<String, List<JsonNode>> byExecution = new TreeMap<>();
        for (JsonNode execution : executions) {
            String id = executionId(execution).orElseThrow(() -> new IllegalArgumentException("no execution id"));
            byExecution.computeIfAbsent(id, key -> new ArrayList<>()).add(execution);
        }
        jdbc.sql("SELECT count(pg_advisory_xact_lock(hashtextextended(id, 42))) FROM unnest(?) AS id")
                .param(byExecution.keySet().toArray(String[]::new)).query().singleValue();
        Map<String, Call> known = new HashMap<>();
        calls.findByBolnaExecutionIdIn(byExecution.keySet()).forEach(call -> known.put(call.getBolnaExecutionId(), call));

        Set<String> ignored = new HashSet<>();
        List<Ended> ended = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> entry : byExecution.entrySet()) {
            List<JsonNode> updates = entry.getValue();
            Call call = known.get(entry.getKey());
            if (call == null) {
                Optional<CallableAgent> agent = agents.byBolnaId(updates.getFirst().path("agent_id").asString(""));
                if (agent.isEmpty()) {
                    ignored.add(entry.getKey());
                    continue;
                }
                // written now: the contact and the transcript refer to it
                call = calls.saveAndFlush(newInboundCall(agent.get(), entry.getKey(), updates.getFirst()));
            }
            for (JsonNode execution : updates) {
                String outcome = advance(call, execution);
                if (outcome != null) {
                    ended.add(new Ended(call, outcome));
                }
                linkContact(call, execution);
            }
            saveTranscript(call, updates);
        }
        calls.flush();
        // one order for the balance rows, as for the execution locks
        ended.sort(Comparator.comparing(end -> end.call().getUserId()));
        for (Ended end : ended) {
            Call call = end.call();
            if (call.getCreditsUsed() > 0) {
                ledger.debitUsage(call.getUserId(), call.getId(), call.getCreditsUsed(), "Call of "
                        + call.getDurationMinutes() + " min to " + call.getPhoneNumber());
            } else if (call.getContactId() != null) {
                contacts.countConnectionFailure(call.getUserId(), call.getContactId(), call.getId());
            }
            events.publishEvent(new CallCompleted(call.getId(), call.getUserId(), call.getAgentId(), call.getStatus(),
                    end.outcome(), call.getTranscriptId()));
        }
        return ignored;
    }

    /**
     * Moves the call forward by one execution object. Returns the call's outcome when this update is
     * the one that makes it terminal (its duration and credits are then set), else null.
     */
    private String advance(Call call, JsonNode execution) {
        BolnaStatus status = BolnaStatus.of(execution.path("status").asString(""));
        Instant at = eventTime(execution);
        JsonNode telephony = execution.path("telephony_data");

        if (status.rank >= 0 && status.rank > BolnaStatus.rankOf(call.getCallLifecycleStatus())) {
            call.setCallLifecycleStatus(BolnaStatus.LIFECYCLE[status.rank]);
        }
        if (status == BolnaStatus.RINGING && call.getRingingStartedAt() == null) {
            call.setRingingStartedAt(at);
        }
        if (status == BolnaStatus.IN_PROGRESS && call.getCallAnsweredAt() == null) {
            call.setCallAnsweredAt(at);
        }
        if ((status == BolnaStatus.CALL_DISCONNECTED || status.terminal()) && call.getCallDisconnectedAt() == null) {
            call.setCallDisconnectedAt(at);
        }
        copyDetails(call, execution, telephony);

        if (!status.terminal() || !"in_progress".equals(call.getStatus())) {
            return null;
        }
        int seconds = durationSeconds(execution, telephony);
        boolean connected = "completed".equals(status.terminalStatus) && seconds > 0;
        int minutes = connected ? (seconds + 59) / 60 : 0;
        call.setDurationSeconds(connected ? seconds : 0);
        call.setDurationMinutes(minutes);
        call.setCreditsUsed(minutes * Math.max(0, settings.intValue(SystemSettings.CREDITS_PER_MINUTE, 1)));
        call.setStatus(status.terminalStatus);
        call.setCompletedAt(at);
        return outcome(status, connected, execution.path("answered_by_voice_mail").asBoolean(false),
                call.getCallAnsweredAt() != null);
    }

    private record Ended(Call call, String outcome) {
    }

    /** The agent_call_outcomes outcome of a call that has just ended (docs/bolna-webhooks.md). */
    static String outcome(BolnaStatus status, boolean connected, boolean voicemail, boolean answered) {
        if (voicemail) {
            return "voicemail";
        }
        return switch (status) {
            case COMPLETED -> connected ? "completed" : "no_answer";
            case NO_ANSWER -> "no_answer";
            case BUSY -> "busy";
            case CANCELED, STOPPED -> answered ? "disconnected" : "failed";
            default -> "failed";
        };
    }

    private Call newInboundCall(CallableAgent agent, String executionId, JsonNode execution) {
        JsonNode telephony = execution.path("telephony_data");
        String direction = telephony.path("call_type").asString("inbound");
        String phone = customerPhone(execution, telephony, direction);
        Call call = new Call(agent.userId(), agent.id(), executionId, phone == null ? "unknown" : phone);
        call.setLeadType("outbound".equals(direction) ? "outbound" : "inbound");
        call.setCallSource("phone");
        log.info("Bolna execution {} unknown here: creating the {} call for agent {}", executionId, call.getLeadType(),
                agent.id());
        return call;
    }

    private void copyDetails(Call call, JsonNode execution, JsonNode telephony) {
        String hangupBy = hangupBy(telephony.path("hangup_by").asString(""));
        if (hangupBy != null) {
            call.setHangupBy(hangupBy);
        }
        if (!telephony.path("hangup_reason").asString("").isBlank()) {
            call.setHangupReason(telephony.path("hangup_reason").asString());
        }
        if (telephony.path("hangup_provider_code").isNumber()
                || telephony.path("hangup_provider_code").asString("").matches("-?\\d{1,9}")) {
            call.setHangupProviderCode(telephony.path("hangup_provider_code").asInt());
        }
        String recording = telephony.path("recording_url").asString("");
        if (!recording.isBlank()) {
            call.setRecordingUrl(recording);
        }
        Map<String, Object> metadata = new LinkedHashMap<>(call.getBolnaMetadata());
        for (String field : new String[] { "total_cost", "cost_breakdown", "usage_breakdown", "answered_by_voice_mail",
                "error_message", "summary", "extracted_data" }) {
            JsonNode value = execution.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                metadata.put(field, json.treeToValue(value, Object.class));
            }
        }
        for (String field : new String[] { "provider", "provider_call_id", "hosted_telephony" }) {
            JsonNode value = telephony.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                metadata.put("telephony_" + field, json.treeToValue(value, Object.class));
            }
        }
        metadata.put("last_status", execution.path("status").asString(""));
        call.setBolnaMetadata(metadata);
    }

    /** The call's row exists by now: the contact names it as its origin. */
    private void linkContact(Call call, JsonNode execution) {
        if (call.getContactId() != null) {
            return;
        }
        String phone = customerPhone(execution, execution.path("telephony_data"), call.getLeadType());
        Optional<String> e164 = contacts.normalise(phone == null ? call.getPhoneNumber() : phone);
        if (e164.isEmpty()) {
            return;
        }
        ContactView contact = contacts.findOrCreateForCall(call.getUserId(), e164.get(),
                execution.path("context_details").path("recipient_data").path("name").asString(null), call.getId());
        call.setContactId(contact.id());
    }

    /** The latest transcript among the updates replaces the call's transcript. */
    private void saveTranscript(Call call, List<JsonNode> updates) {
        String text = updates.reversed().stream().map(execution -> execution.path("transcript").asString(""))
                .filter(candidate -> !candidate.isBlank()).findFirst().orElse(null);
        if (text == null) {
            return;
        }
        Transcript transcript = transcripts.findByCallIdAndUserId(call.getId(), call.getUserId())
                .orElseGet(() -> new Transcript(call.getUserId(), call.getId(), text, List.of()));
        transcript.setContent(text);
        transcript.setSpeakerSegments(segments(text));
        // inserted at the flush, before the calls' updates that name it
        call.setTranscriptId(transcripts.save(transcript).getId());
    }

    /** "assistant: ..." / "user: ..." turns; lines without a speaker continue the previous turn. */
    static List<SpeakerSegment> segments(String text) {
        List<SpeakerSegment> segments = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String speaker = colon > 0 ? trimmed.substring(0, colon).trim().toLowerCase() : "";
            if (speaker.equals("assistant") || speaker.equals("user") || speaker.equals("agent")) {
                segments.add(new SpeakerSegment(speaker.equals("agent") ? "assistant" : speaker,
                        trimmed.substring(colon + 1).trim()));
            } else if (!segments.isEmpty()) {
                SpeakerSegment last = segments.removeLast();
                segments.add(new SpeakerSegment(last.speaker(), last.text() + " " + trimmed));
            } else {
                segments.add(new SpeakerSegment("unknown", trimmed));
            }
        }
        return segments;
    }

    private static String customerPhone(JsonNode execution, JsonNode telephony, String direction) {
        String phone = "inbound".equals(direction) ? telephony.path("from_number").asString("")
                : telephony.path("to_number").asString("");
        if (phone.isBlank()) {
            phone = execution.path("context_details").path("recipient_phone_number").asString("");
        }
        return phone.isBlank() ? null : phone;
    }

    /** Telephony duration (a number or a string) first, else the conversation duration; whole seconds. */
    static int durationSeconds(JsonNode execution, JsonNode telephony) {
        for (JsonNode value : new JsonNode[] { telephony.path("duration"), execution.path("conversation_duration"),
                execution.path("conversation_time") }) {
            double seconds = value.isNumber() ? value.asDouble() : parse(value.asString(""));
            if (seconds > 0) {
                return (int) Math.ceil(seconds);
            }
        }
        return 0;
    }

    private static double parse(String text) {
        try {
            return text.isBlank() ? 0 : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String hangupBy(String raw) {
        String value = raw.trim().toLowerCase();
        if (value.isEmpty()) {
            return null;
        }
        if (value.contains("callee") || value.contains("user") || value.contains("customer") || value.contains("caller")) {
            return "user";
        }
        if (value.contains("agent") || value.contains("assistant") || value.contains("bot")) {
            return "agent";
        }
        return "system";
    }

    private static Instant eventTime(JsonNode execution) {
        for (String field : new String[] { "updated_at", "created_at" }) {
            String text = execution.path(field).asString("");
            if (!text.isBlank()) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException notOffset) {
                    try {
                        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException ignored) {
                        // fall through to the next field
                    }
                }
            }
        }
        return Instant.now();
    }

    /**
     * Published once per call, in the transaction that first makes it terminal (the lead analysis and
     * the agent call outcomes listen). {@code outcome} is one of agent_call_outcomes' outcomes.
     */
    public record CallCompleted(UUID callId, UUID userId, UUID agentId, String status, String outcome,
            UUID transcriptId) {
    }
}
