package ai.calling.lead;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactService;
import ai.calling.lead.internal.Customer;
import ai.calling.lead.internal.CustomerRepository;

/** Leads converted into customers; the database gives each its CUST-YYYY-NNNN reference. */
@Service
public class CustomerService {

    static final Set<String> STATUSES = Set.of("Active", "Inactive", "Churned", "On Hold");

    private final CustomerRepository customers;
    private final ContactService contacts;

    CustomerService(CustomerRepository customers, ContactService contacts) {
        this.customers = customers;
        this.contacts = contacts;
    }

    /** Converts a contact once (409 the second time) and marks it as a customer. */
    @Transactional
    public CustomerView convert(UUID userId, Conversion request) {
        ContactView contact = contacts.get(userId, request.contactId());
        if (customers.existsByContactId(contact.id())) {
            throw ApiException.conflict("This contact is already a customer");
        }
        Customer customer = new Customer(userId, contact.id(), contact.name() == null ? contact.phoneNumber() : contact.name());
        customer.setEmail(contact.email());
        customer.setPhone(contact.phoneNumber());
        customer.setCompany(contact.company());
        customer.setOriginalLeadSource(request.originalLeadSource());
        customer.setAssignedSalesRep(request.assignedSalesRep());
        customer.setNotes(request.notes());
        try {
            customer = customers.saveAndFlush(customer);
        } catch (DataIntegrityViolationException raceLost) {
            throw ApiException.conflict("This contact is already a customer");
        }
        contacts.markCustomer(userId, contact.id());
        return view(customers.findById(customer.getId()).orElseThrow());
    }

    @Transactional(readOnly = true)
    public PageResponse<CustomerView> list(UUID userId, PageRequest page) {
        return PageResponse.of(customers.findByUserId(userId, page), CustomerService::view);
    }

    @Transactional(readOnly = true)
    public CustomerView get(UUID userId, UUID customerId) {
        return view(owned(userId, customerId));
    }

    @Transactional
    public CustomerView update(UUID userId, UUID customerId, CustomerUpdate request) {
        Customer customer = owned(userId, customerId);
        if (request.status() != null) {
            if (!STATUSES.contains(request.status())) {
                throw ApiException.invalidField("status", "must be one of Active, Inactive, Churned, On Hold");
            }
            customer.setStatus(request.status());
        }
        if (request.notes() != null) {
            customer.setNotes(request.notes());
        }
        if (request.assignedSalesRep() != null) {
            customer.setAssignedSalesRep(request.assignedSalesRep());
        }
        if (request.lastInteractionDate() != null) {
            customer.setLastInteractionDate(request.lastInteractionDate());
        }
        return view(customers.saveAndFlush(customer));
    }

    private Customer owned(UUID userId, UUID customerId) {
        return customers.findByIdAndUserId(customerId, userId).orElseThrow(() -> ApiException.notFound("The customer"));
    }

    static CustomerView view(Customer c) {
        return new CustomerView(c.getId(), c.getCustomerReferenceNumber(), c.getContactId(), c.getName(), c.getEmail(),
                c.getPhone(), c.getCompany(), c.getStatus(), c.getConversionDate(), c.getOriginalLeadSource(),
                c.getAssignedSalesRep(), c.getLastInteractionDate(), c.getNotes(), c.getCreatedAt());
    }

    public record Conversion(@NotNull UUID contactId, @Size(max = 100) String originalLeadSource,
            @Size(max = 255) String assignedSalesRep, @Size(max = 5000) String notes) {
    }

    public record CustomerUpdate(String status, @Size(max = 5000) String notes, @Size(max = 255) String assignedSalesRep,
            Instant lastInteractionDate) {
    }

    public record CustomerView(UUID id, String customerReferenceNumber, UUID contactId, String name, String email,
            String phone, String company, String status, Instant conversionDate, String originalLeadSource,
            String assignedSalesRep, Instant lastInteractionDate, String notes, Instant createdAt) {
    }
}
