package ai.calling.contact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import ai.calling.common.CurrentUser;
import ai.calling.common.ApiException;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.SpreadsheetCsv;
import ai.calling.contact.ContactDtos.ContactFilter;
import ai.calling.contact.ContactDtos.ContactView;
import ai.calling.contact.ContactDtos.CreateContactRequest;
import ai.calling.contact.ContactDtos.UpdateContactRequest;
import ai.calling.contact.ContactDtos.UploadResult;
import ai.calling.contact.internal.ContactCsvImport;

@RestController
@RequestMapping("/api/contacts")
class ContactController {

    private static final Set<String> SORTABLE = Set.of("name", "phoneNumber", "createdAt", "updatedAt", "notConnected",
            "company");

    private final ContactService contacts;
    private final ContactCsvImport csvImport;

    ContactController(ContactService contacts, ContactCsvImport csvImport) {
        this.contacts = contacts;
        this.csvImport = csvImport;
    }

    @Operation(summary = "Add a contact")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ContactView create(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CreateContactRequest body) {
        return contacts.create(user.id(), user.memberId(), body);
    }

    @Operation(summary = "List your contacts")
    @GetMapping
    PageResponse<ContactView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) String search, @RequestParam(required = false) Boolean isCustomer,
            @RequestParam(required = false) Boolean autoCreated, @RequestParam(required = false) Boolean notConnected,
            @RequestParam(required = false) String sort, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return contacts.list(user.id(), new ContactFilter(search, isCustomer, autoCreated, notConnected),
                PageParams.of(page, size, sort(sort)));
    }

    @Operation(summary = "Export your contacts as CSV")
    @GetMapping(value = "/export", produces = "text/csv")
    void export(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) String search,
            @RequestParam(required = false) Boolean isCustomer, @RequestParam(required = false) Boolean autoCreated,
            @RequestParam(required = false) Boolean notConnected, @RequestParam(required = false) String sort,
            HttpServletResponse response) throws IOException {
        Sort order = sort(sort);
        SpreadsheetCsv csv = SpreadsheetCsv.download(response, "contacts.csv", "name", "phone_number", "email",
                "company", "notes", "is_customer", "is_auto_created", "not_connected", "created_at");
        contacts.forEach(user.id(), new ContactFilter(search, isCustomer, autoCreated, notConnected), order,
                c -> csv.row(c.name(), c.phoneNumber(), c.email(), c.company(), c.notes(), c.isCustomer(),
                        c.isAutoCreated(), c.notConnected(), c.createdAt()));
        csv.flush();
    }

    @Operation(summary = "Upload contacts from a CSV file", description = """
            A multipart/form-data upload with the CSV in the part "file" (text/csv; UTF-8 with or without BOM; \
            comma or semicolon). The first row names the columns, in any order and case, with these aliases:

            | column | required | also accepted as |
            |---|---|---|
            | phone | yes | phone_number, phone number, phonenumber, mobile, mobile number, mobile_number, cell, telephone, tel, number, contact number, whatsapp |
            | name | no | full name, full_name, fullname, contact name, contact_name |
            | email | no | e-mail, email address, email_address, mail |
            | company | no | company name, company_name, organisation, organization, business |
            | notes | no | note, comments, comment, remarks |

            Phone numbers without a country code are read in DEFAULT_PHONE_REGION and stored as E.164. A bad \
            row is reported in invalid (by its spreadsheet row number: the header is row 1) and never stops the \
            good ones. onDuplicate=skip keeps existing contacts, update overwrites them. At most \
            max_contacts_per_upload rows (system_config).""", responses = {
            @ApiResponse(responseCode = "200", description = "What was added, updated, skipped and refused, row by row"),
            @ApiResponse(responseCode = "413", description = "More rows or bytes than one upload takes"),
            @ApiResponse(responseCode = "415", description = "The file is not a CSV") })
    @PostMapping(value = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    UploadResult upload(@AuthenticationPrincipal CurrentUser user, @RequestPart("file") MultipartFile file,
            @RequestParam(defaultValue = "skip") String onDuplicate) throws IOException {
        if (!onDuplicate.equals("skip") && !onDuplicate.equals("update")) {
            throw ApiException.invalidField("onDuplicate", "must be skip or update");
        }
        try (InputStream input = ContactCsv.open(file, "contacts")) {
            return csvImport.importCsv(user.id(), input, onDuplicate.equals("update"));
        }
    }

    @Operation(summary = "Read a contact")
    @GetMapping("/{id}")
    ContactView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return contacts.get(user.id(), id);
    }

    @Operation(summary = "Change a contact")
    @PatchMapping("/{id}")
    ContactView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdateContactRequest body) {
        return contacts.update(user.id(), id, body);
    }

    @Operation(summary = "Delete a contact")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        contacts.delete(user.id(), id);
    }

    /** {@code sort=field} or {@code sort=field,desc}; default newest first. */
    private static Sort sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("id"));
        }
        String[] parts = sort.split(",");
        String field = parts[0].trim();
        if (!SORTABLE.contains(field)) {
            throw ApiException.invalidField("sort", "must be one of " + String.join(", ", SORTABLE.stream().sorted().toList()));
        }
        Sort.Direction direction = parts.length > 1 && parts[1].trim().equalsIgnoreCase("desc")
                ? Sort.Direction.DESC : Sort.Direction.ASC;
        return Sort.by(direction, field).and(Sort.by("id"));
    }
}
