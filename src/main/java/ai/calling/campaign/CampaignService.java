package ai.calling.campaign;

import java.io.InputStream;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.agent.AgentService;
import ai.calling.call.CallService;
import ai.calling.campaign.CampaignDtos.AddRecipientsRequest;
import ai.calling.campaign.CampaignDtos.AddRecipientsResult;
import ai.calling.campaign.CampaignDtos.CallingWindowDto;
import ai.calling.campaign.CampaignDtos.CampaignView;
import ai.calling.campaign.CampaignDtos.CreateCampaignRequest;
import ai.calling.campaign.CampaignDtos.Invalid;
import ai.calling.campaign.CampaignDtos.RecipientView;
import ai.calling.campaign.CampaignDtos.RetryPolicy;
import ai.calling.campaign.CampaignDtos.UpdateCampaignRequest;
import ai.calling.campaign.internal.CallingWindow;
import ai.calling.campaign.internal.CampaignRow;
import ai.calling.campaign.internal.Campaigns;
import ai.calling.campaign.internal.RecipientZones;
import ai.calling.campaign.internal.Recipients;
import ai.calling.campaign.internal.TimeZones;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.CampaignProperties;
import ai.calling.config.PhoneProperties;
import ai.calling.contact.ContactCsv;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactService;
import ai.calling.dnc.DoNotCallList;

/**
 * A tenant's campaigns: settings, recipients and the state machine {@code draft → running ⇄ paused →
 * completed}, {@code cancelled} from any state but completed (an impossible change is 409). Every
 * change takes the campaign's row lock, as the dispatcher does before it dials, so a pause or a
 * cancel is seen by the next dispatch round. Cancelling stops the calls Bolna has queued but not
 * started; calls in progress go on.
 */
@Service
public class CampaignService {

    private static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    private static final RetryPolicy NO_RETRIES = new RetryPolicy(1, List.of(), 60);

    private final Campaigns campaigns;
    private final Recipients recipients;
    private final AgentService agents;
    private final ContactService contacts;
    private final CallService calls;
    private final DoNotCallList doNotCall;
    private final TimeZones timeZones;
    private final PhoneProperties phone;
    private final CampaignProperties properties;
    private final TransactionTemplate transactions;

    CampaignService(Campaigns campaigns, Recipients recipients, AgentService agents, ContactService contacts,
            CallService calls, DoNotCallList doNotCall, TimeZones timeZones, PhoneProperties phone,
            CampaignProperties properties, TransactionTemplate transactions) {
        this.campaigns = campaigns;
        this.recipients = recipients;
        this.agents = agents;
        this.contacts = contacts;
        this.calls = calls;
        this.doNotCall = doNotCall;
        this.timeZones = timeZones;
        this.phone = phone;
        this.properties = properties;
        this.transactions = transactions;
    }

    public CampaignView create(UUID userId, UUID memberId, CreateCampaignRequest request) {
        Campaigns.Settings settings = settings(userId, request.name(), request.agentId(), request.timezone(),
                request.callingWindow(), request.maxConcurrentCalls(), request.retry() == null ? NO_RETRIES
                        : request.retry());
        return transactions.execute(status -> view(campaigns.insert(userId, memberId, settings)));
    }

    public CampaignView get(UUID userId, UUID id) {
        return transactions.execute(status -> view(owned(userId, id)));
    }

    public PageResponse<CampaignView> list(UUID userId, String status, PageRequest page) {
        return transactions.execute(tx -> new PageResponse<>(campaigns.page(userId, status, page.getPageSize(),
                page.getOffset()).stream().map(this::view).toList(), page.getPageNumber(), page.getPageSize(),
                campaigns.count(userId, status)));
    }

    /** Changes settings of a campaign that has not ended; the agent only while it is a draft. */
    public CampaignView update(UUID userId, UUID id, UpdateCampaignRequest request) {
        return transactions.execute(status -> {
            CampaignRow current = campaigns.lock(userId, id).orElseThrow(() -> ApiException.notFound("The campaign"));
            if (ended(current)) {
                throw ApiException.conflict("The campaign has " + current.status() + "; it cannot be changed");
            }
            if (request.agentId() != null && !request.agentId().equals(current.agentId()) && !"draft".equals(current.status())) {
                throw ApiException.conflict("The agent of a campaign can be changed only while it is a draft");
            }
            CallingWindowDto window = request.callingWindow() != null ? request.callingWindow() : window(current);
            RetryPolicy retry = request.retry() != null ? request.retry() : retry(current);
            Campaigns.Settings settings = settings(userId, request.name() != null ? request.name() : current.name(),
                    request.agentId() != null ? request.agentId() : current.agentId(),
                    request.timezone() != null ? request.timezone() : current.timezone(), window,
                    request.maxConcurrentCalls() != null ? request.maxConcurrentCalls() : current.maxConcurrentCalls(),
                    retry);
            return view(campaigns.update(id, settings));
        });
    }

    /** Deletes a draft; a campaign that has started is kept with its calls (cancel it instead). */
    public void delete(UUID userId, UUID id) {
        transactions.executeWithoutResult(status -> {
            CampaignRow campaign = owned(userId, id);
            if (!campaigns.deleteDraft(userId, campaign.id())) {
                throw ApiException.conflict("Only a draft can be deleted; cancel a campaign that has started");
            }
        });
    }

    public CampaignView start(UUID userId, UUID id) {
        return transactions.execute(status -> {
            CampaignRow campaign = locked(userId, id);
            requireStatus(campaign, "start", "draft");
            if (recipients.count(id, "pending") == 0) {
                throw ApiException.conflict("The campaign has no recipient to call; add recipients first");
            }
            requireActiveAgent(campaign);
            return view(campaigns.setStatus(id, "running", null));
        });
    }

    public CampaignView pause(UUID userId, UUID id) {
        return transactions.execute(status -> {
            requireStatus(locked(userId, id), "pause", "running");
            return view(campaigns.setStatus(id, "paused", "user"));
        });
    }

    public CampaignView resume(UUID userId, UUID id) {
        return transactions.execute(status -> {
            CampaignRow campaign = locked(userId, id);
            requireStatus(campaign, "resume", "paused");
            requireActiveAgent(campaign);
            return view(campaigns.setStatus(id, "running", null));
        });
    }

    /**
     * Cancels the campaign and its pending recipients, then asks Bolna to stop the calls it has only queued.
     * Its calls are read after the commit: dials being sent meanwhile are then either bound to their execution
     * already, or stopped by the dispatcher, which finds the campaign cancelled once Bolna has answered.
     */
    public CampaignView cancel(UUID userId, UUID id) {
        transactions.executeWithoutResult(status -> {
            CampaignRow campaign = locked(userId, id);
            requireStatus(campaign, "cancel", "draft", "running", "paused");
            campaigns.setStatus(id, "cancelled", null);
            recipients.cancelPending(id);
        });
        recipients.callsInFlight(id).forEach(call -> calls.stopIfQueued(userId, call));
        return get(userId, id);
    }

    /** Adds contacts of the caller, or phone numbers, as recipients of a campaign that has not ended. */
    public AddRecipientsResult addRecipients(UUID userId, UUID id, AddRecipientsRequest request) {
        boolean byContacts = request.contactIds() != null && !request.contactIds().isEmpty();
        boolean byNumbers = request.phoneNumbers() != null && !request.phoneNumbers().isEmpty();
        if (byContacts == byNumbers) {
            throw ApiException.badRequest("Give either contactIds or phoneNumbers (not both, not neither)");
        }
        List<Invalid> invalid = new ArrayList<>();
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        int duplicates = 0;
        if (byNumbers) {
            for (String raw : request.phoneNumbers()) {
                String e164 = PhoneNumbers.toE164(raw, phone.defaultRegion()).orElse(null);
                if (e164 == null) {
                    invalid.add(new Invalid(raw, "not a valid phone number"));
                } else if (candidates.putIfAbsent(e164, new Candidate(e164, null, null)) != null) {
                    duplicates++;
                }
            }
        } else {
            Set<UUID> wanted = new LinkedHashSet<>(request.contactIds());
            duplicates += request.contactIds().size() - wanted.size();
            Map<UUID, ContactView> found = contacts.byIds(userId, wanted);
            for (UUID contactId : wanted) {
                ContactView contact = found.get(contactId);
                if (contact == null) {
                    invalid.add(new Invalid(contactId.toString(), "no such contact"));
                } else if (candidates.putIfAbsent(contact.phoneNumber(),
                        new Candidate(contact.phoneNumber(), contact.id(), contact.name())) != null) {
                    duplicates++;
                }
            }
        }
        Recipients.Added added = add(userId, id, List.copyOf(candidates.values()));
        return new AddRecipientsResult(added.pending(), duplicates + added.duplicates(), added.doNotCall(), invalid);
    }

    /** A number to add: E.164, the contact it came from and the name to greet. */
    record Candidate(String phoneNumber, UUID contactId, String name) {
    }

    /**
     * Recipients from a CSV in the contact upload's format (phone, name; email, company and notes are
     * checked and not kept). The campaign is checked before the file is read, and the file is read
     * before any transaction opens: a 100,000-row file holds no connection while it parses.
     */
    public AddRecipientsResult addRecipientsFromCsv(UUID userId, UUID id, InputStream csv) {
        requireOpen(transactions.execute(tx -> owned(userId, id)));
        ContactCsv.Parsed file = ContactCsv.read(csv, phone.defaultRegion(), properties.maxRecipientsPerUpload(),
                "recipients");
        Recipients.Added added = add(userId, id, file.rows().stream()
                .map(row -> new Candidate(row.phoneNumber(), null, row.name())).toList());
        List<Invalid> invalid = file.invalid().stream().map(row -> new Invalid("row " + row.row(), row.reason()))
                .toList();
        return new AddRecipientsResult(added.pending(), file.duplicatesInFile() + added.duplicates(), added.doNotCall(),
                invalid);
    }

    /**
     * Adds recipients (already unique by number) to a campaign that has not ended, marking do-not-call
     * numbers. Time zones are found before the transaction (libphonenumber's work, per number, in parallel).
     */
    Recipients.Added add(UUID userId, UUID id, List<Candidate> candidates) {
        // libphonenumber's lookup costs ~10 µs a number, and numbers are independent: a large upload uses every core
        List<String> zones = candidates.parallelStream()
                .map(candidate -> RecipientZones.zoneOf(candidate.phoneNumber()).filter(timeZones::known).orElse(null))
                .toList();
        return transactions.execute(status -> {
            requireOpen(locked(userId, id));
            Set<String> listed = doNotCall.listed(userId, candidates.stream().map(Candidate::phoneNumber).toList());
            List<Recipients.NewRecipient> rows = new ArrayList<>(candidates.size());
            for (int i = 0; i < candidates.size(); i++) {
                Candidate candidate = candidates.get(i);
                rows.add(new Recipients.NewRecipient(candidate.phoneNumber(), candidate.contactId(), candidate.name(),
                        zones.get(i), listed.contains(candidate.phoneNumber())));
            }
            return recipients.insert(id, userId, rows);
        });
    }

    private static void requireOpen(CampaignRow campaign) {
        if (ended(campaign)) {
            throw ApiException.conflict("The campaign has " + campaign.status() + "; it takes no more recipients");
        }
    }

    public PageResponse<RecipientView> recipients(UUID userId, UUID id, String status, PageRequest page) {
        return transactions.execute(tx -> {
            owned(userId, id);
            return new PageResponse<>(recipients.page(id, status, page.getPageSize(), page.getOffset()),
                    page.getPageNumber(), page.getPageSize(), recipients.count(id, status));
        });
    }

    /** Every recipient, streamed to {@code sink} inside one read-only transaction. */
    public void forEachRecipient(UUID userId, UUID id, String status, Consumer<RecipientView> sink) {
        transactions.executeWithoutResult(tx -> {
            owned(userId, id);
            recipients.forEach(id, status, sink);
        });
    }

    private CampaignRow owned(UUID userId, UUID id) {
        return campaigns.find(userId, id).orElseThrow(() -> ApiException.notFound("The campaign"));
    }

    private CampaignRow locked(UUID userId, UUID id) {
        return campaigns.lock(userId, id).orElseThrow(() -> ApiException.notFound("The campaign"));
    }

    private void requireActiveAgent(CampaignRow campaign) {
        boolean active = agents.callable(campaign.userId(), campaign.agentId()).map(AgentService.CallableAgent::active)
                .orElse(false);
        if (!active) {
            throw ApiException.conflict("The campaign's agent is inactive; activate it or choose another agent");
        }
    }

    private static boolean ended(CampaignRow campaign) {
        return "completed".equals(campaign.status()) || "cancelled".equals(campaign.status());
    }

    private static void requireStatus(CampaignRow campaign, String change, String... allowed) {
        if (!List.of(allowed).contains(campaign.status())) {
            throw ApiException.conflict("A " + campaign.status() + " campaign cannot " + change);
        }
    }

    /** Validated settings: an agent of the caller, a known time zone, a window that opens before it closes. */
    private Campaigns.Settings settings(UUID userId, String name, UUID agentId, String timezone, CallingWindowDto window,
            int maxConcurrentCalls, RetryPolicy retry) {
        if (agents.callable(userId, agentId).isEmpty()) {
            throw ApiException.invalidField("agentId", "is not an agent of yours");
        }
        String zone = timezone.trim();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ApiException.invalidField("timezone", "is not a time zone (use an IANA name such as America/New_York)");
        }
        if (!timeZones.known(zone)) {
            throw ApiException.invalidField("timezone", "is not a time zone this server knows");
        }
        LocalTime start = LocalTime.parse(window.start());
        LocalTime end = LocalTime.parse(window.end());
        List<Integer> days = window.days().stream().distinct().map(day -> DAYS.indexOf(day) + 1).sorted().toList();
        try {
            new CallingWindow(start, end, days.stream().map(DayOfWeek::of).collect(Collectors.toSet()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("callingWindow", "must start before it ends (windows across midnight: "
                    + "use two campaigns)");
        }
        return new Campaigns.Settings(name.trim(), agentId, zone, start, end, days, maxConcurrentCalls,
                retry.maxAttempts(), retry.retryOn().stream().distinct().toList(), retry.delayMinutes());
    }

    private CampaignView view(CampaignRow c) {
        return new CampaignView(c.id(), c.name(), c.agentId(), c.status(), c.pauseReason(), c.timezone(), window(c),
                c.maxConcurrentCalls(), retry(c), recipients.stats(c.id()), c.createdAt(), c.updatedAt(), c.startedAt(),
                c.completedAt(), c.cancelledAt(), c.createdBy());
    }

    private static CallingWindowDto window(CampaignRow c) {
        return new CallingWindowDto(c.windowStart().toString(), c.windowEnd().toString(),
                c.windowDays().stream().map(day -> DayOfWeek.of(day).name().substring(0, 3)).toList());
    }

    private static RetryPolicy retry(CampaignRow c) {
        return new RetryPolicy(c.retryMaxAttempts(), c.retryOn(), c.retryDelayMinutes());
    }
}
