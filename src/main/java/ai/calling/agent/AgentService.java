package ai.calling.agent;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
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
import ai.calling.agent.internal.AgentRemovals;
import ai.calling.agent.internal.AgentRepository;
import ai.calling.agent.internal.PhoneNumberRepository;
import ai.calling.bolna.AgentPatch;
import ai.calling.bolna.AgentSpec;
import ai.calling.bolna.BolnaAgentSettings;
import ai.calling.bolna.BolnaClient;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.config.ApplicationProperties;
import ai.calling.config.BolnaProperties;
import ai.calling.config.SystemSettings;

/**
 * A user's voice agents, each mirrored by an agent on Bolna. Requests are validated in full first;
 * then Bolna is written: when it refuses nothing is stored; when our write fails after Bolna's, Bolna
 * is put back (the created agent deleted, a patch undone). The welcome message lives in the task
 * config, the system prompt in the LLM config; tenants choose only the settings {@link BolnaAgentSettings}
 * allows.
 */
@Service
public class AgentService {

    static final String WELCOME = "welcome_message";
    static final String PROMPT = "system_prompt";
    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    private final AgentRepository agents;
    private final PhoneNumberRepository phoneNumbers;
    private final BolnaClient bolna;
    private final BolnaProperties bolnaProperties;
    private final ApplicationProperties application;
    private final TransactionTemplate transactions;
    private final SystemSettings settings;
    private final AgentRemovals removals;

    AgentService(AgentRepository agents, PhoneNumberRepository phoneNumbers, BolnaClient bolna,
            BolnaProperties bolnaProperties, ApplicationProperties application, TransactionTemplate transactions,
            SystemSettings settings, AgentRemovals removals) {
        this.agents = agents;
        this.removals = removals;
        this.phoneNumbers = phoneNumbers;
        this.bolna = bolna;
        this.bolnaProperties = bolnaProperties;
        this.application = application;
        this.transactions = transactions;
        this.settings = settings;
    }

    /** The webhook URL every agent gives Bolna (docs/bolna-webhooks.md). */
    public String webhookUrl() {
        String secret = bolnaProperties.webhookSecret() == null ? "" : bolnaProperties.webhookSecret();
        return stripSlash(application.publicBaseUrl().toString()) + "/api/webhooks/bolna?token=" + secret;
    }

    public AgentView create(UUID userId, CreateAgentRequest request) {
        BolnaAgentSettings.check(request.llmConfig(), request.taskConfig());
        Map<String, Object> llm = new LinkedHashMap<>(orEmpty(request.llmConfig()));
        llm.put(PROMPT, request.systemPrompt());
        Map<String, Object> task = new LinkedHashMap<>(orEmpty(request.taskConfig()));
        task.put(WELCOME, request.welcomeMessage());
        Map<String, Object> voice = new LinkedHashMap<>(orEmpty(request.voiceConfig()));
        int maxCallSeconds = request.maxCallDurationSeconds() != null ? request.maxCallDurationSeconds()
                : Math.clamp(settings.intValue(SystemSettings.DEFAULT_MAX_CALL_DURATION_SECONDS, 600),
                        AgentDtos.MIN_CALL_SECONDS, AgentDtos.MAX_CALL_SECONDS);
        String bolnaId = bolna.createAgent(new AgentSpec(request.name().trim(), request.welcomeMessage(), webhookUrl(),
                request.systemPrompt(), maxCallSeconds, voice, orEmpty(request.llmConfig()),
                orEmpty(request.taskConfig())));
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
        } catch (RuntimeException e) {
            removeFromBolna(bolnaId);
            if (e instanceof DataIntegrityViolationException) {
                throw ApiException.conflict("The agent could not be stored; it was removed from Bolna again");
            }
            throw e;
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

    /**
     * Bolna first, once the request is known to be valid (the DTO's rules, which are also our columns'
     * rules): a PATCH of the fields it can carry, or, when the hard call limit changes (a task setting,
     * which PATCH cannot change), a PUT of the whole configuration. Our row changes only when Bolna took
     * it. When our write fails after Bolna's, Bolna is put back to what it had (and if even that fails,
     * {@link #sync} repairs it).
     */
    public AgentView update(UUID userId, UUID agentId, UpdateAgentRequest request) {
        Agent current = transactions.execute(status -> owned(userId, agentId));
        if (Boolean.FALSE.equals(request.isActive()) && current.isActive()) {
            delete(userId, agentId);
            current = transactions.execute(status -> owned(userId, agentId));
        }
        if (!current.isActive()) {
            return Boolean.TRUE.equals(request.isActive()) ? reactivate(userId, agentId, current, request)
                    : transactions.execute(status -> {
                        // Bolna has no copy of an inactive agent: the change is ours, and goes to Bolna on re-activation
                        Agent agent = owned(userId, agentId);
                        apply(agent, request);
                        return view(agents.saveAndFlush(agent));
                    });
        }
        boolean limitChanges = request.maxCallDurationSeconds() != null
                && request.maxCallDurationSeconds() != current.getMaxCallDurationSeconds();
        AgentPatch patch = new AgentPatch(request.name() == null ? null : request.name().trim(), request.welcomeMessage(),
                null, request.systemPrompt(), request.voiceConfig());
        AgentSpec before = spec(current);
        if (limitChanges) {
            bolna.putAgent(current.getBolnaAgentId(), changed(before, request));
        } else {
            bolna.patchAgent(current.getBolnaAgentId(), patch);
        }
        try {
            return transactions.execute(status -> {
                Agent agent = owned(userId, agentId);
                apply(agent, request);
                return view(agents.saveAndFlush(agent));
            });
        } catch (RuntimeException ourWriteFailed) {
            if (limitChanges || !patch.isEmpty()) {
                putBack(current.getBolnaAgentId(), before, limitChanges, request);
            }
            throw ourWriteFailed;
        }
    }

    /**
     * An inactive agent comes back ({@code isActive: true}): Bolna is brought to the agent as stored
     * here with the request's changes, by a sync of the agent Bolna still has, or, when Bolna no longer
     * knows it (a deleted agent), by creating it anew; then our row is changed and activated. When our
     * write fails after Bolna's, an agent created for it is deleted again.
     */
    private AgentView reactivate(UUID userId, UUID agentId, Agent current, UpdateAgentRequest request) {
        AgentSpec wanted = changed(spec(current), request);
        String bolnaId = current.getBolnaAgentId();
        boolean created = false;
        try {
            bolna.syncAgent(bolnaId, wanted);
        } catch (BolnaClient.BolnaNotFound deletedThere) {
            bolnaId = bolna.createAgent(wanted);
            created = true;
        }
        String activeId = bolnaId;
        boolean[] activatedMeanwhile = { false };
        AgentView activated;
        try {
            activated = transactions.execute(status -> {
                Agent agent = agents.lockByIdAndUserId(agentId, userId)
                        .orElseThrow(() -> ApiException.notFound("The agent"));
                if (agent.isActive()) {
                    // another re-activation committed first (and may have made a Bolna agent of its own): it stands
                    activatedMeanwhile[0] = true;
                    return view(agent);
                }
                apply(agent, request);
                agent.setBolnaAgentId(activeId);
                agent.setActive(true);
                // a deletion on Bolna not done yet is called off: the agent it would delete is in use again
                removals.clear(agentId);
                return view(agents.saveAndFlush(agent));
            });
        } catch (RuntimeException ourWriteFailed) {
            if (created) {
                removeFromBolna(activeId);
            }
            throw ourWriteFailed;
        }
        if (activatedMeanwhile[0] && created && !activeId.equals(activated.bolnaAgentId())) {
            // the Bolna agent this request made is nobody's: two at once each created one
            removeFromBolna(activeId);
        }
        return activated;
    }

    private static void apply(Agent agent, UpdateAgentRequest request) {
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
        if (request.maxCallDurationSeconds() != null) {
            agent.setMaxCallDurationSeconds(request.maxCallDurationSeconds());
        }
    }

    /** The agent as Bolna should have it after {@code request}. */
    private static AgentSpec changed(AgentSpec before, UpdateAgentRequest request) {
        return new AgentSpec(request.name() != null ? request.name().trim() : before.name(),
                request.welcomeMessage() != null ? request.welcomeMessage() : before.welcomeMessage(), before.webhookUrl(),
                request.systemPrompt() != null ? request.systemPrompt() : before.systemPrompt(),
                request.maxCallDurationSeconds() != null ? request.maxCallDurationSeconds() : before.maxCallDurationSeconds(),
                request.voiceConfig() != null ? request.voiceConfig() : before.voice(), before.llm(), before.task());
    }

    /** Puts Bolna back to the agent as it was before a change our database then refused. */
    private void putBack(String bolnaAgentId, AgentSpec before, boolean wholeConfiguration, UpdateAgentRequest request) {
        try {
            if (wholeConfiguration) {
                bolna.putAgent(bolnaAgentId, before);
            } else {
                bolna.patchAgent(bolnaAgentId, new AgentPatch(request.name() == null ? null : before.name(),
                        request.welcomeMessage() == null ? null : before.welcomeMessage(), null,
                        request.systemPrompt() == null ? null : before.systemPrompt(),
                        request.voiceConfig() == null ? null : before.voice()));
            }
        } catch (RuntimeException e) {
            log.error("Bolna agent {} was changed there but not here, and could not be put back; /sync will repair it",
                    bolnaAgentId, e);
        }
    }

    /**
     * Deactivates the agent here (its calls stay; its number is freed) with the intent to delete it on Bolna, then
     * deletes it there, with nothing held. When Bolna does not take the deletion now, it stays marked and
     * {@link ai.calling.agent.internal.AgentRemovalWorker} asks again every few minutes: the agent is inactive from
     * the commit on, so no dial goes to a Bolna agent being deleted, and a failure here after Bolna's deletion can
     * no longer leave an active agent that Bolna does not have.
     */
    public void delete(UUID userId, UUID agentId) {
        String bolnaId = transactions.execute(status -> {
            Agent agent = owned(userId, agentId);
            agent.setActive(false);
            phoneNumbers.findByAssignedToAgentId(agentId).ifPresent(number -> number.setAssignedToAgentId(null));
            removals.mark(agentId);
            return agent.getBolnaAgentId();
        });
        try {
            bolna.deleteAgent(bolnaId);
            removals.clear(agentId);
        } catch (RuntimeException e) {
            log.warn("Bolna agent {} could not be deleted yet ({}); tried again later", bolnaId, e.getMessage());
        }
    }

    /**
     * Re-reads the agent from Bolna, compares every field we send it and pushes back what drifted
     * ({@link BolnaClient#syncAgent}).
     */
    public SyncResult sync(UUID userId, UUID agentId) {
        Agent agent = transactions.execute(status -> owned(userId, agentId));
        if (!agent.isActive()) {
            // Bolna has no copy of an inactive agent (it was deleted there): nothing to compare
            throw ApiException.conflict("The agent is inactive; activate it (isActive: true) to put it on Bolna again");
        }
        List<String> drifted = bolna.syncAgent(agent.getBolnaAgentId(), spec(agent));
        return new SyncResult(get(userId, agentId), drifted);
    }

    /** Everything we tell Bolna about this agent. */
    private AgentSpec spec(Agent agent) {
        Map<String, Object> llm = new LinkedHashMap<>(agent.getBolnaLlmConfig());
        Object prompt = llm.remove(PROMPT);
        Map<String, Object> task = new LinkedHashMap<>(agent.getBolnaTaskConfig());
        Object welcome = task.remove(WELCOME);
        return new AgentSpec(agent.getName(), welcome == null ? "" : welcome.toString(), webhookUrl(),
                prompt == null ? "" : prompt.toString(), agent.getMaxCallDurationSeconds(), agent.getBolnaVoiceConfig(),
                llm, task);
    }

    private void removeFromBolna(String bolnaId) {
        try {
            bolna.deleteAgent(bolnaId);
        } catch (RuntimeException e) {
            log.error("Bolna agent {} was created but not stored here, and could not be deleted", bolnaId, e);
        }
    }

    /** For the calls feature: the caller's agent, as the call needs it. */
    public Optional<CallableAgent> callable(UUID userId, UUID agentId) {
        return transactions.execute(status -> agents.findByIdAndUserId(agentId, userId).map(agent -> callable(agent,
                phoneNumbers.findByAssignedToAgentId(agent.getId()).filter(n -> n.isActive())
                        .map(n -> n.getPhoneNumber()).orElse(null))));
    }

    /**
     * For the campaign dispatcher: these agents, as their calls need them, in one read (by id; the
     * caller checks each belongs to the tenant it dials for).
     */
    public Map<UUID, CallableAgent> callables(Collection<UUID> agentIds) {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        return transactions.execute(status -> {
            Map<UUID, String> numbers = new HashMap<>();
            UUID[] ids = agentIds.toArray(UUID[]::new);
            phoneNumbers.findByAssignedToAgentIds(ids).stream().filter(n -> n.isActive())
                    .forEach(n -> numbers.put(n.getAssignedToAgentId(), n.getPhoneNumber()));
            Map<UUID, CallableAgent> found = new HashMap<>();
            for (Agent agent : agents.findByIds(ids)) {
                found.put(agent.getId(), callable(agent, numbers.get(agent.getId())));
            }
            return found;
        });
    }

    /** Resolves Bolna's agent id to ours and its owner (for webhooks). */
    public Optional<CallableAgent> byBolnaId(String bolnaAgentId) {
        return transactions.execute(status -> agents.findByBolnaAgentId(bolnaAgentId).map(agent -> callable(agent, null)));
    }

    /** An agent as a call needs it, with the number it calls from (null: Bolna's default). */
    private static CallableAgent callable(Agent agent, String fromPhoneNumber) {
        return new CallableAgent(agent.getId(), agent.getUserId(), agent.getBolnaAgentId(), agent.isActive(),
                fromPhoneNumber, agent.getMaxCallDurationSeconds());
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
