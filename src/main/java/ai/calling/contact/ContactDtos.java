package ai.calling.contact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response bodies of {@code /api/contacts}. */
public final class ContactDtos {

    private ContactDtos() {
    }

    public record CreateContactRequest(
            @NotBlank @Size(max = 50) String phoneNumber,
            @Size(max = 255) String name,
            @Email @Size(max = 255) String email,
            @Size(max = 255) String company,
            @Size(max = 5000) String notes,
            Boolean isCustomer) {
    }

    /** Fields left out (null) are not changed. */
    public record UpdateContactRequest(
            @Size(max = 50) String phoneNumber,
            @Size(max = 255) String name,
            @Email @Size(max = 255) String email,
            @Size(max = 255) String company,
            @Size(max = 5000) String notes,
            Boolean isCustomer) {
    }

    public record ContactView(UUID id, String name, String phoneNumber, String email, String company, String notes,
            boolean isCustomer, boolean isAutoCreated, String autoCreationSource, UUID autoCreatedFromCallId,
            int notConnected, Instant createdAt, Instant updatedAt) {
    }

    /** Which contacts a list or an export covers. */
    public record ContactFilter(String search, Boolean isCustomer, Boolean autoCreated, Boolean notConnected) {
    }

    public record UploadResult(int totalRows, int created, int updated, int skipped, List<InvalidRow> invalid) {
    }

    public record InvalidRow(int row, String reason) {
    }
}
