package ai.calling.contact.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.ApiException;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;
import ai.calling.config.SystemSettings;
import ai.calling.contact.ContactDtos;
import ai.calling.contact.ContactDtos.InvalidRow;
import ai.calling.contact.ContactDtos.UploadResult;

/**
 * Bulk contact upload from a spreadsheet export: UTF-8 with or without BOM, comma or semicolon,
 * header names matched case-insensitively with common aliases. Rows are read as a stream and
 * validated one by one (a bad row is reported, never stops the good ones); the valid rows are then
 * written by one set-based UPSERT, sorted by phone number so concurrent uploads lock in the same order.
 * Row numbers are the spreadsheet's: the header is row 1.
 */
@Component
public class ContactCsvImport {

    private static final Map<String, String> HEADER_ALIASES = aliases();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final List<Map.Entry<String, Integer>> MAX_LENGTHS = List.of(
            Map.entry("phone", ContactDtos.MAX_PHONE), Map.entry("name", ContactDtos.MAX_TEXT),
            Map.entry("email", ContactDtos.MAX_TEXT), Map.entry("company", ContactDtos.MAX_TEXT),
            Map.entry("notes", ContactDtos.MAX_NOTES));

    private final ContactBulkWriter writer;
    private final SystemSettings settings;
    private final PhoneProperties phone;

    ContactCsvImport(ContactBulkWriter writer, SystemSettings settings, PhoneProperties phone) {
        this.writer = writer;
        this.settings = settings;
        this.phone = phone;
    }

    @Transactional
    public UploadResult importCsv(UUID userId, InputStream input, boolean updateExisting) {
        int maxRows = settings.intValue(SystemSettings.MAX_CONTACTS_PER_UPLOAD, 10_000);
        Map<String, ContactBulkWriter.Row> valid = new TreeMap<>();
        List<InvalidRow> invalid = new ArrayList<>();
        int totalRows = 0;
        int duplicatesInFile = 0;
        try (BufferedReader reader = reader(input); CSVParser parser = format(reader).parse(reader)) {
            Columns columns = Columns.of(parser.getHeaderNames());
            for (CSVRecord record : parser) {
                if (isBlank(record)) {
                    continue;
                }
                totalRows++;
                if (totalRows > maxRows) {
                    throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                            "The file has more than " + maxRows + " contacts; split it and upload the parts");
                }
                int row = totalRows + 1;
                Optional<String> reason = reasonInvalid(columns, record);
                if (reason.isPresent()) {
                    invalid.add(new InvalidRow(row, reason.get()));
                    continue;
                }
                String e164 = PhoneNumbers.toE164(columns.get(record, "phone"), phone.defaultRegion()).orElseThrow();
                ContactBulkWriter.Row contact = new ContactBulkWriter.Row(e164, columns.get(record, "name"),
                        lower(columns.get(record, "email")), columns.get(record, "company"), columns.get(record, "notes"));
                if (valid.putIfAbsent(e164, contact) != null) {
                    duplicatesInFile++;
                }
            }
        } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw ApiException.badRequest("The file is not UTF-8 text; export it as CSV (UTF-8)");
            }
            throw ApiException.badRequest("The file is not a readable CSV: " + safe(e.getMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("The file could not be read as CSV");
        }
        ContactBulkWriter.Outcome outcome = writer.upsert(userId, List.copyOf(valid.values()), updateExisting);
        int skipped = duplicatesInFile + (valid.size() - outcome.created() - outcome.updated());
        return new UploadResult(totalRows, outcome.created(), outcome.updated(), skipped, invalid);
    }

    /** The same rules as the API's (ContactDtos): lengths, no NUL character, a valid number and e-mail. */
    private Optional<String> reasonInvalid(Columns columns, CSVRecord record) {
        for (String value : record) {
            if (value != null && value.indexOf('\0') >= 0) {
                return Optional.of("a cell contains the NUL character");
            }
        }
        for (Map.Entry<String, Integer> limit : MAX_LENGTHS) {
            String value = columns.get(record, limit.getKey());
            if (value != null && value.length() > limit.getValue()) {
                return Optional.of(limit.getKey() + " is longer than " + limit.getValue() + " characters");
            }
        }
        String rawPhone = columns.get(record, "phone");
        if (rawPhone == null) {
            return Optional.of("phone number is missing");
        }
        if (PhoneNumbers.toE164(rawPhone, phone.defaultRegion()).isEmpty()) {
            return Optional.of("phone number '" + safe(rawPhone) + "' is not valid");
        }
        String email = columns.get(record, "email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            return Optional.of("e-mail '" + safe(email) + "' is not valid");
        }
        return Optional.empty();
    }

    private static BufferedReader reader(InputStream input) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, decoder), 64 * 1024);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** Semicolon when the header line has more semicolons than commas (European spreadsheet exports). */
    private static CSVFormat format(BufferedReader reader) throws IOException {
        reader.mark(64 * 1024);
        String header = reader.readLine();
        reader.reset();
        if (header == null || header.isBlank()) {
            throw ApiException.badRequest("The file is empty: it needs a header row and at least one contact");
        }
        if (header.indexOf('\0') >= 0) {
            throw ApiException.badRequest("The file is not a CSV text file");
        }
        char delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    private static boolean isBlank(CSVRecord record) {
        for (String value : record) {
            if (value != null && !value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static String safe(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static Map<String, String> aliases() {
        Map<String, String> aliases = new TreeMap<>();
        for (String alias : List.of("phone", "phone_number", "phone number", "phonenumber", "mobile", "mobile number",
                "mobile_number", "cell", "telephone", "tel", "number", "contact number", "whatsapp")) {
            aliases.put(alias, "phone");
        }
        for (String alias : List.of("name", "full name", "full_name", "fullname", "contact name", "contact_name")) {
            aliases.put(alias, "name");
        }
        for (String alias : List.of("email", "e-mail", "email address", "email_address", "mail")) {
            aliases.put(alias, "email");
        }
        for (String alias : List.of("company", "company name", "company_name", "organisation", "organization",
                "business")) {
            aliases.put(alias, "company");
        }
        for (String alias : List.of("notes", "note", "comments", "comment", "remarks")) {
            aliases.put(alias, "notes");
        }
        return aliases;
    }

    /** Where each known field sits in the file: the first column whose header is one of its aliases. */
    private record Columns(Map<String, Integer> index) {

        static Columns of(List<String> headers) {
            Map<String, Integer> index = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < headers.size(); i++) {
                String header = headers.get(i) == null ? "" : headers.get(i).trim().toLowerCase(Locale.ROOT)
                        .replace('\uFEFF', ' ').trim();
                String field = HEADER_ALIASES.get(header);
                if (field != null && seen.add(field)) {
                    index.put(field, i);
                }
            }
            if (!index.containsKey("phone")) {
                throw ApiException.badRequest("The file has no phone number column; name one of its headers "
                        + "phone, phone_number or mobile");
            }
            return new Columns(index);
        }

        String get(CSVRecord record, String field) {
            Integer i = index.get(field);
            if (i == null || i >= record.size()) {
                return null;
            }
            String value = record.get(i);
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
