package ai.calling.contact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response bodies of {@code /api/contacts}. */
public final class ContactDtos {

    /** The longest value of each field, the same through the API and the CSV upload. */
    public static final int MAX_PHONE = 50;
    public static final int MAX_TEXT = 255;
    public static final int MAX_NOTES = 5000;

    private ContactDtos() {
    }

    public record CreateContactRequest(
            @NotBlank @Size(max = MAX_PHONE) String phoneNumber,
            @Size(max = MAX_TEXT) String name,
            @Email @Size(max = MAX_TEXT) String email,
            @Size(max = MAX_TEXT) String company,
            @Size(max = MAX_NOTES) String notes,
            Boolean isCustomer) {
    }

    /** Fields left out (null) are not changed. */
    public record UpdateContactRequest(
            @Size(max = MAX_PHONE) String phoneNumber,
            @Size(max = MAX_TEXT) String name,
            @Email @Size(max = MAX_TEXT) String email,
            @Size(max = MAX_TEXT) String company,
            @Size(max = MAX_NOTES) String notes,
            Boolean isCustomer) {
    }

    public record ContactView(UUID id, String name, String phoneNumber, String email, String company, String notes,
            boolean isCustomer, boolean isAutoCreated, String autoCreationSource, UUID autoCreatedFromCallId,
            int notConnected, Instant createdAt, Instant updatedAt, UUID createdBy) {
    }

    /** Which contacts a list or an export covers. */
    public record ContactFilter(String search, Boolean isCustomer, Boolean autoCreated, Boolean notConnected) {
    }

    public record UploadResult(int totalRows, int created, int updated, int skipped, List<InvalidRow> invalid) {
    }

    public record InvalidRow(int row, String reason) {
    }
}
