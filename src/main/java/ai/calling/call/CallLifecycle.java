package ai.calling.call;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
 * Applies one Bolna execution object (from a webhook, a replay or reconciliation: one code path) to
 * its call. Events of one execution are serialised by a transaction-scoped advisory lock. The
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

    CallLifecycle(CallRepository calls, TranscriptRepository transcripts, AgentService agents, ContactService contacts,
            CreditLedger ledger, SystemSettings settings, ApplicationEventPublisher events, JdbcClient jdbc,
            JsonMapper json) {
        this.calls = calls;
        this.transcripts = transcripts;
        this.agents = agents;
        this.contacts = contacts;
        this.ledger = ledger;
        this.settings = settings;
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
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

    @Transactional
    public Outcome apply(JsonNode execution) {
        String executionId = executionId(execution).orElseThrow(() -> new IllegalArgumentException("no execution id"));
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:id, 42))").param("id", executionId).query().singleValue();
        Call call = calls.findByBolnaExecutionId(executionId).orElse(null);
        if (call == null) {
            Optional<CallableAgent> agent = agents.byBolnaId(execution.path("agent_id").asString(""));
            if (agent.isEmpty()) {
                return Outcome.IGNORED;
            }
            call = newInboundCall(agent.get(), executionId, execution);
        }
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

        boolean becomesTerminal = status.terminal() && "in_progress".equals(call.getStatus());
        int credits = 0;
        String outcome = null;
        if (becomesTerminal) {
            int seconds = durationSeconds(execution, telephony);
            boolean connected = "completed".equals(status.terminalStatus) && seconds > 0;
            outcome = outcome(status, connected, execution.path("answered_by_voice_mail").asBoolean(false),
                    call.getCallAnsweredAt() != null);
            int minutes = connected ? (seconds + 59) / 60 : 0;
            credits = minutes * Math.max(0, settings.intValue(SystemSettings.CREDITS_PER_MINUTE, 1));
            call.setDurationSeconds(connected ? seconds : 0);
            call.setDurationMinutes(minutes);
            call.setCreditsUsed(credits);
            call.setStatus(status.terminalStatus);
            call.setCompletedAt(at);
        }
        linkContact(call, execution, telephony);
        call = calls.saveAndFlush(call);
        saveTranscript(call, execution.path("transcript").asString(""));
        if (becomesTerminal) {
            if (credits > 0) {
                ledger.debitUsage(call.getUserId(), call.getId(), credits, "Call of " + call.getDurationMinutes()
                        + " min to " + call.getPhoneNumber());
            } else if (call.getContactId() != null) {
                contacts.countConnectionFailure(call.getUserId(), call.getContactId(), call.getId());
            }
            events.publishEvent(new CallCompleted(call.getId(), call.getUserId(), call.getAgentId(), call.getStatus(),
                    outcome, call.getTranscriptId()));
        }
        return Outcome.PROCESSED;
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

    private void linkContact(Call call, JsonNode execution, JsonNode telephony) {
        if (call.getContactId() != null) {
            return;
        }
        String phone = customerPhone(execution, telephony, call.getLeadType());
        Optional<String> e164 = contacts.normalise(phone == null ? call.getPhoneNumber() : phone);
        if (e164.isEmpty()) {
            return;
        }
        // the call must exist before a contact can name it as its origin
        Call saved = calls.saveAndFlush(call);
        ContactView contact = contacts.findOrCreateForCall(saved.getUserId(), e164.get(),
                execution.path("context_details").path("recipient_data").path("name").asString(null), saved.getId());
        call.setContactId(contact.id());
    }

    private void saveTranscript(Call call, String text) {
        if (text.isBlank()) {
            return;
        }
        Transcript transcript = transcripts.findByCallIdAndUserId(call.getId(), call.getUserId())
                .orElseGet(() -> new Transcript(call.getUserId(), call.getId(), text, List.of()));
        transcript.setContent(text);
        transcript.setSpeakerSegments(segments(text));
        transcript = transcripts.saveAndFlush(transcript);
        if (!transcript.getId().equals(call.getTranscriptId())) {
            call.setTranscriptId(transcript.getId());
            calls.saveAndFlush(call);
        }
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
                        return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
                    } catch (DateTimeParseException ignored) {
                        // fall through to the next field
                    }
                }
            }
        }
        return Instant.now();
    }

    /** What became of an execution object. */
    public enum Outcome { PROCESSED, IGNORED }

    /**
     * Published once per call, in the transaction that first makes it terminal (the lead analysis and
     * the agent call outcomes listen). {@code outcome} is one of agent_call_outcomes' outcomes.
     */
    public record CallCompleted(UUID callId, UUID userId, UUID agentId, String status, String outcome,
            UUID transcriptId) {
    }
}
