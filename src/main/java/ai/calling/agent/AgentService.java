package ai.calling.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentDtos.AgentView;
import ai.calling.agent.AgentDtos.AssignedNumber;
import ai.calling.agent.AgentDtos.CreateAgentRequest;
import ai.calling.agent.AgentDtos.SyncResult;
import ai.calling.agent.AgentDtos.UpdateAgentRequest;
import ai.calling.agent.internal.Agent;
import ai.calling.agent.internal.AgentRepository;
import ai.calling.agent.internal.PhoneNumberRepository;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.config.ApplicationProperties;
import ai.calling.config.BolnaProperties;
import ai.calling.config.SystemSettings;
import tools.jackson.databind.JsonNode;

/**
 * A user's voice agents, each mirrored by an agent on Bolna. Bolna is written first: when it refuses
 * nothing is stored; when our write fails after Bolna created the agent, the Bolna agent is deleted
 * again. The welcome message lives in the task config, the system prompt in the LLM config.
 */
@Service
public class AgentService {

    static final String WELCOME = "welcome_message";
    static final String PROMPT = "system_prompt";

    private final AgentRepository agents;
    private final PhoneNumberRepository phoneNumbers;
    private final BolnaClient bolna;
    private final BolnaProperties bolnaProperties;
    private final ApplicationProperties application;
    private final TransactionTemplate transactions;
    private final SystemSettings settings;

    AgentService(AgentRepository agents, PhoneNumberRepository phoneNumbers, BolnaClient bolna,
            BolnaProperties bolnaProperties, ApplicationProperties application, TransactionTemplate transactions,
            SystemSettings settings) {
        this.agents = agents;
        this.phoneNumbers = phoneNumbers;
        this.bolna = bolna;
        this.bolnaProperties = bolnaProperties;
        this.application = application;
        this.transactions = transactions;
        this.settings = settings;
    }

    /** The webhook URL every agent gives Bolna (CONTRACT.md section 4). */
    public String webhookUrl() {
        String secret = bolnaProperties.webhookSecret() == null ? "" : bolnaProperties.webhookSecret();
        return stripSlash(application.publicBaseUrl().toString()) + "/api/webhooks/bolna?token=" + secret;
    }

    public AgentView create(UUID userId, CreateAgentRequest request) {
        Map<String, Object> llm = new LinkedHashMap<>(orEmpty(request.llmConfig()));
        llm.put(PROMPT, request.systemPrompt());
        Map<String, Object> task = new LinkedHashMap<>(orEmpty(request.taskConfig()));
        task.put(WELCOME, request.welcomeMessage());
        task.remove(BolnaAgentPayload.CALL_TERMINATE);
        Map<String, Object> voice = new LinkedHashMap<>(orEmpty(request.voiceConfig()));
        int maxCallSeconds = request.maxCallDurationSeconds() != null ? request.maxCallDurationSeconds()
                : Math.clamp(settings.intValue(SystemSettings.DEFAULT_MAX_CALL_DURATION_SECONDS, 600),
                        AgentDtos.MIN_CALL_SECONDS, AgentDtos.MAX_CALL_SECONDS);
        String bolnaId = bolna.createAgent(BolnaAgentPayload.create(request.name().trim(), request.welcomeMessage(),
                webhookUrl(), request.systemPrompt(), maxCallSeconds, voice, llm, task));
        try {
            return transactions.execute(status -> {
                Agent agent = new Agent(userId, bolnaId, request.name().trim());
                agent.setAgentType(request.agentType() == null ? "call" : request.agentType());
                agent.setDescription(request.description());
                agent.setBolnaWebhookUrl(maskedWebhookUrl());
                agent.setBolnaVoiceConfig(voice);
                agent.setBolnaLlmConfig(llm);
                agent.setBolnaTaskConfig(task);
                agent.setMaxCallDurationSeconds(maxCallSeconds);
                return view(agents.saveAndFlush(agent));
            });
        } catch (DataAccessException | IllegalStateException e) {
            bolna.deleteAgent(bolnaId);
            throw ApiException.conflict("The agent could not be stored; it was removed from Bolna again");
        }
    }

    public AgentView get(UUID userId, UUID agentId) {
        return transactions.execute(status -> view(owned(userId, agentId)));
    }

    public PageResponse<AgentView> list(UUID userId, String search, Boolean active, PageRequest page) {
        Specification<Agent> spec = (root, query, cb) -> cb.equal(root.get("userId"), userId);
        if (search != null && !search.isBlank()) {
            String like = "%" + search.trim().toLowerCase(Locale.ROOT) + "%";
            spec = spec.and((root, query, cb) -> cb.like(cb.lower(root.get("name")), like));
        }
        if (active != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("isActive"), active));
        }
        Specification<Agent> filter = spec;
        return transactions.execute(status -> {
            Page<Agent> found = agents.findAll(filter, page);
            return PageResponse.of(found, this::view);
        });
    }

    /** PATCH on Bolna first; our row changes only when Bolna took it. */
    public AgentView update(UUID userId, UUID agentId, UpdateAgentRequest request) {
        Agent current = transactions.execute(status -> owned(userId, agentId));
        Map<String, Object> patch = new LinkedHashMap<>();
        if (request.name() != null) {
            patch.put("agent_name", request.name().trim());
        }
        if (request.welcomeMessage() != null) {
            patch.put("agent_welcome_message", request.welcomeMessage());
        }
        if (request.systemPrompt() != null) {
            patch.put("agent_prompts", Map.of("task_1", Map.of(PROMPT, request.systemPrompt())));
        }
        if (request.voiceConfig() != null) {
            patch.put("synthesizer", request.voiceConfig());
        }
        if (!patch.isEmpty()) {
            bolna.patchAgent(current.getBolnaAgentId(), patch);
        }
        return transactions.execute(status -> {
            Agent agent = owned(userId, agentId);
            if (request.name() != null) {
                agent.setName(request.name().trim());
            }
            if (request.description() != null) {
                agent.setDescription(request.description());
            }
            if (request.welcomeMessage() != null) {
                agent.setBolnaTaskConfig(with(agent.getBolnaTaskConfig(), WELCOME, request.welcomeMessage()));
            }
            if (request.systemPrompt() != null) {
                agent.setBolnaLlmConfig(with(agent.getBolnaLlmConfig(), PROMPT, request.systemPrompt()));
            }
            if (request.voiceConfig() != null) {
                agent.setBolnaVoiceConfig(new LinkedHashMap<>(request.voiceConfig()));
            }
            return view(agents.saveAndFlush(agent));
        });
    }

    /** Deletes the agent on Bolna and deactivates it here (its calls stay); its number is freed. */
    public void delete(UUID userId, UUID agentId) {
        Agent current = transactions.execute(status -> owned(userId, agentId));
        bolna.deleteAgent(current.getBolnaAgentId());
        transactions.executeWithoutResult(status -> {
            Agent agent = owned(userId, agentId);
            agent.setActive(false);
            phoneNumbers.findByAssignedToAgentId(agentId).ifPresent(number -> number.setAssignedToAgentId(null));
        });
    }

    /** Re-reads the agent from Bolna and pushes back whatever drifted from our configuration. */
    public SyncResult sync(UUID userId, UUID agentId) {
        Agent agent = transactions.execute(status -> owned(userId, agentId));
        JsonNode remote = bolna.getAgent(agent.getBolnaAgentId());
        JsonNode config = remote.has("agent_config") ? remote.path("agent_config") : remote;
        Map<String, Object> patch = new LinkedHashMap<>();
        List<String> repaired = new ArrayList<>();
        if (!agent.getName().equals(config.path("agent_name").asString(""))) {
            patch.put("agent_name", agent.getName());
            repaired.add("agent_name");
        }
        String welcome = String.valueOf(agent.getBolnaTaskConfig().getOrDefault(WELCOME, ""));
        if (!welcome.equals(config.path("agent_welcome_message").asString(welcome))) {
            patch.put("agent_welcome_message", welcome);
            repaired.add("agent_welcome_message");
        }
        if (!webhookUrl().equals(config.path("webhook_url").asString(""))) {
            patch.put("webhook_url", webhookUrl());
            repaired.add("webhook_url");
        }
        if (!patch.isEmpty()) {
            bolna.patchAgent(agent.getBolnaAgentId(), patch);
        }
        return new SyncResult(get(userId, agentId), repaired);
    }

    /** For the calls feature: the caller's agent, as the call needs it. */
    public Optional<CallableAgent> callable(UUID userId, UUID agentId) {
        return transactions.execute(status -> agents.findByIdAndUserId(agentId, userId).map(agent -> new CallableAgent(
                agent.getId(), agent.getUserId(), agent.getBolnaAgentId(), agent.isActive(),
                phoneNumbers.findByAssignedToAgentId(agent.getId()).filter(n -> n.isActive())
                        .map(n -> n.getPhoneNumber()).orElse(null), agent.getMaxCallDurationSeconds())));
    }

    /** Resolves Bolna's agent id to ours and its owner (for webhooks). */
    public Optional<CallableAgent> byBolnaId(String bolnaAgentId) {
        return transactions.execute(status -> agents.findByBolnaAgentId(bolnaAgentId).map(agent -> new CallableAgent(
                agent.getId(), agent.getUserId(), agent.getBolnaAgentId(), agent.isActive(), null,
                agent.getMaxCallDurationSeconds())));
    }

    private Agent owned(UUID userId, UUID agentId) {
        return agents.findByIdAndUserId(agentId, userId).orElseThrow(() -> ApiException.notFound("The agent"));
    }

    private AgentView view(Agent a) {
        AssignedNumber number = phoneNumbers.findByAssignedToAgentId(a.getId())
                .map(n -> new AssignedNumber(n.getId(), n.getName(), n.getPhoneNumber())).orElse(null);
        Map<String, Object> llm = new LinkedHashMap<>(a.getBolnaLlmConfig());
        Object prompt = llm.remove(PROMPT);
        Map<String, Object> task = new LinkedHashMap<>(a.getBolnaTaskConfig());
        Object welcome = task.remove(WELCOME);
        return new AgentView(a.getId(), a.getName(), a.getAgentType(), a.getDescription(), a.isActive(),
                a.getBolnaAgentId(), welcome == null ? null : welcome.toString(), prompt == null ? null : prompt.toString(),
                a.getMaxCallDurationSeconds(), a.getBolnaVoiceConfig(), llm, task, number, a.getCreatedAt(), a.getUpdatedAt());
    }

    private String maskedWebhookUrl() {
        return stripSlash(application.publicBaseUrl().toString()) + "/api/webhooks/bolna?token=***";
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * What the calls feature needs to place a call through an agent; {@code maxCallDurationSeconds} is
     * the hard limit Bolna enforces on its calls.
     */
    public record CallableAgent(UUID id, UUID userId, String bolnaAgentId, boolean active, String fromPhoneNumber,
            int maxCallDurationSeconds) {
    }
}
