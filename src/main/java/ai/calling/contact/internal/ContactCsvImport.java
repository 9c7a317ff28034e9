package ai.calling.contact.internal;

import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.config.PhoneProperties;
import ai.calling.config.SystemSettings;
import ai.calling.contact.ContactCsv;
import ai.calling.contact.ContactDtos.UploadResult;

/**
 * Bulk contact upload: the file is read and validated first (ContactCsv, no transaction open while
 * it parses), then the valid rows are written by one set-based UPSERT, sorted by phone number so
 * concurrent uploads lock in the same order.
 */
@Component
public class ContactCsvImport {

    private final ContactBulkWriter writer;
    private final SystemSettings settings;
    private final PhoneProperties phone;
    private final TransactionTemplate transactions;

    ContactCsvImport(ContactBulkWriter writer, SystemSettings settings, PhoneProperties phone,
            TransactionTemplate transactions) {
        this.writer = writer;
        this.settings = settings;
        this.phone = phone;
        this.transactions = transactions;
    }

    public UploadResult importCsv(UUID userId, InputStream input, boolean updateExisting) {
        int maxRows = settings.intValue(SystemSettings.MAX_CONTACTS_PER_UPLOAD, 10_000);
        ContactCsv.Parsed file = ContactCsv.read(input, phone.defaultRegion(), maxRows, "contacts");
        List<ContactBulkWriter.Row> rows = file.rows().stream()
                .sorted(Comparator.comparing(ContactCsv.Row::phoneNumber))
                .map(row -> new ContactBulkWriter.Row(row.phoneNumber(), row.name(), row.email(), row.company(),
                        row.notes()))
                .toList();
        ContactBulkWriter.Outcome outcome = transactions.execute(tx -> writer.upsert(userId, rows, updateExisting));
        int skipped = file.duplicatesInFile() + (rows.size() - outcome.created() - outcome.updated());
        return new UploadResult(file.totalRows(), outcome.created(), outcome.updated(), skipped, file.invalid());
    }
}
