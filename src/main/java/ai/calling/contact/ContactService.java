package ai.calling.contact;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;
import ai.calling.contact.ContactDtos.ContactFilter;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactDtos.CreateContactRequest;
import ai.calling.contact.ContactDtos.UpdateContactRequest;
import ai.calling.contact.internal.Contact;
import ai.calling.contact.internal.ContactConnectionFailures;
import ai.calling.contact.internal.ContactNumberLocks;
import ai.calling.contact.internal.ContactRepository;
import ai.calling.contact.internal.ContactSpecifications;

/**
 * Contacts of one tenant: every method takes the owner's id and never sees another tenant's rows
 * (another tenant's id is "not found"). Phone numbers are stored in E.164, unique per user.
 */
@Service
public class ContactService {

    private final ContactRepository contacts;
    private final ContactConnectionFailures connectionFailures;
    private final PhoneProperties phone;
    private final ContactNumberLocks numberLocks;

    ContactService(ContactRepository contacts, ContactConnectionFailures connectionFailures, PhoneProperties phone,
            ContactNumberLocks numberLocks) {
        this.contacts = contacts;
        this.numberLocks = numberLocks;
        this.connectionFailures = connectionFailures;
        this.phone = phone;
    }

    @Transactional
    public ContactView create(UUID userId, UUID memberId, CreateContactRequest request) {
        String e164 = PhoneNumbers.requireE164("phoneNumber", request.phoneNumber(), phone.defaultRegion());
        numberLocks.lock(userId, e164);
        rejectTaken(userId, e164, null);
        Contact contact = new Contact(userId, e164, trimToNull(request.name()));
        contact.setEmail(trimToNull(request.email()));
        contact.setCompany(trimToNull(request.company()));
        contact.setNotes(trimToNull(request.notes()));
        contact.setCustomer(Boolean.TRUE.equals(request.isCustomer()));
        contact.setCreatedBy(memberId);
        return view(saveUnique(contact));
    }

    @Transactional(readOnly = true)
    public ContactView get(UUID userId, UUID contactId) {
        return view(owned(userId, contactId));
    }

    @Transactional(readOnly = true)
    public PageResponse<ContactView> list(UUID userId, ContactFilter filter, PageRequest page) {
        Page<Contact> found = contacts.findAll(ContactSpecifications.of(userId, filter), page);
        return PageResponse.of(found, ContactService::view);
    }

    /** Streams every contact matching the filter, in pages, to {@code sink} (for the CSV export). */
    @Transactional(readOnly = true)
    public void forEach(UUID userId, ContactFilter filter, Sort sort, Consumer<ContactView> sink) {
        Pageable page = PageRequest.of(0, 1000, sort);
        Page<Contact> batch;
        do {
            batch = contacts.findAll(ContactSpecifications.of(userId, filter), page);
            batch.forEach(contact -> sink.accept(view(contact)));
            page = page.next();
        } while (batch.hasNext());
    }

    @Transactional
    public ContactView update(UUID userId, UUID contactId, UpdateContactRequest request) {
        Contact contact = owned(userId, contactId);
        if (request.phoneNumber() != null) {
            String e164 = PhoneNumbers.requireE164("phoneNumber", request.phoneNumber(), phone.defaultRegion());
            numberLocks.lock(userId, e164);
            rejectTaken(userId, e164, contactId);
            contact.setPhoneNumber(e164);
        }
        if (request.name() != null) {
            contact.setName(trimToNull(request.name()));
        }
        if (request.email() != null) {
            contact.setEmail(trimToNull(request.email()));
        }
        if (request.company() != null) {
            contact.setCompany(trimToNull(request.company()));
        }
        if (request.notes() != null) {
            contact.setNotes(trimToNull(request.notes()));
        }
        if (request.isCustomer() != null) {
            contact.setCustomer(request.isCustomer());
        }
        return view(saveUnique(contact));
    }

    /** Deletes the contact; its calls stay, with no contact (the foreign key sets it to null). */
    @Transactional
    public void delete(UUID userId, UUID contactId) {
        contacts.delete(owned(userId, contactId));
    }

    /**
     * The contact a call's number belongs to, created when the user has none yet (auto-created by
     * the webhook, remembering the call). Safe when two deliveries race: the loser reads the winner's row.
     */
    @Transactional
    public ContactView findOrCreateForCall(UUID userId, String rawPhone, String name, UUID callId) {
        String e164 = PhoneNumbers.requireE164("phoneNumber", rawPhone, phone.defaultRegion());
        UUID id = connectionFailures.findOrCreateAutoContacts(
                List.of(new ContactConnectionFailures.AutoContact(userId, e164, trimToNull(name), callId))).getFirst();
        return view(contacts.findByIdAndUserId(id, userId).orElseThrow());
    }

    /** A call's number to file under a contact: the tenant, the number in E.164 ({@link #normalise}), the name given, the call. */
    public record CallParty(UUID userId, String e164, String name, UUID callId) {
    }

    /**
     * The contacts these calls' numbers belong to (their ids, in the order given), created where the
     * tenant has none yet, as {@link #findOrCreateForCall} does, in two statements for them all (the
     * webhook applies its events in batches). Safe when two batches race: the loser reads the winner's row.
     */
    @Transactional
    public List<UUID> findOrCreateForCalls(List<CallParty> parties) {
        return connectionFailures.findOrCreateAutoContacts(parties.stream()
                .map(party -> new ContactConnectionFailures.AutoContact(party.userId(), party.e164(),
                        trimToNull(party.name()), party.callId()))
                .toList());
    }

    /** Counts a failed connection of the contact once per call, however often it is reported. */
    @Transactional
    public boolean countConnectionFailure(UUID userId, UUID contactId, UUID callId) {
        owned(userId, contactId);
        return connectionFailures.countOnce(userId, contactId, callId);
    }

    /** Fills the contact's empty name, e-mail and company from a lead analysis; never overwrites a value. */
    @Transactional
    public void fillBlanks(UUID userId, String e164, String name, String email, String company) {
        connectionFailures.fillBlanks(userId, e164, name == null ? null : cut(name),
                email != null && email.contains("@") ? cut(email.toLowerCase()) : null,
                company == null ? null : cut(company));
    }

    private static String cut(String value) {
        return value.length() > 255 ? value.substring(0, 255) : value;
    }

    /** Marks the contact as a customer (the lead issue's conversion). */
    @Transactional
    public ContactView markCustomer(UUID userId, UUID contactId) {
        Contact contact = owned(userId, contactId);
        contact.setCustomer(true);
        return view(contact);
    }

    /** The tenant's contacts among these ids, by id (ids of other tenants, or of nothing, are absent). */
    @Transactional(readOnly = true)
    public Map<UUID, ContactView> byIds(UUID userId, Collection<UUID> ids) {
        return contacts.findByUserIdAndIdIn(userId, ids).stream().map(ContactService::view)
                .collect(Collectors.toMap(ContactView::id, contact -> contact));
    }

    /** The user's contact with this (already E.164) number, if any. */
    @Transactional(readOnly = true)
    public Optional<ContactView> findByPhone(UUID userId, String e164) {
        return contacts.findByUserIdAndPhoneNumber(userId, e164).map(ContactService::view);
    }

    public Optional<String> normalise(String rawPhone) {
        return PhoneNumbers.toE164(rawPhone, phone.defaultRegion());
    }

    private Contact owned(UUID userId, UUID contactId) {
        return contacts.findByIdAndUserId(contactId, userId).orElseThrow(() -> ApiException.notFound("The contact"));
    }

    private void rejectTaken(UUID userId, String e164, UUID exceptContactId) {
        contacts.findByUserIdAndPhoneNumber(userId, e164)
                .filter(existing -> !existing.getId().equals(exceptContactId))
                .ifPresent(existing -> {
                    throw duplicate(existing.getId());
                });
    }

    /**
     * Saves the contact; a number taken meanwhile by a path that does not take the number's lock (an upload, a
     * call's contact made by its webhook) is a 409 without the other contact's id: the failed insert ended the
     * transaction, which can no longer read it.
     */
    private Contact saveUnique(Contact contact) {
        try {
            return contacts.saveAndFlush(contact);
        } catch (DataIntegrityViolationException raceLost) {
            throw duplicate(null);
        }
    }

    private static ApiException duplicate(UUID existingId) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict",
                existingId == null ? "You already have a contact with this phone number"
                        : "You already have a contact with this phone number (" + existingId + ")", List.of(),
                existingId == null ? Map.of() : Map.of("existingContactId", existingId));
    }

    static ContactView view(Contact c) {
        return new ContactView(c.getId(), c.getName(), c.getPhoneNumber(), c.getEmail(), c.getCompany(), c.getNotes(),
                c.isCustomer(), c.isAutoCreated(), c.getAutoCreationSource(), c.getAutoCreatedFromCallId(),
                c.getNotConnected(), c.getCreatedAt(), c.getUpdatedAt(), c.getCreatedBy());
    }

    private static String trimToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
