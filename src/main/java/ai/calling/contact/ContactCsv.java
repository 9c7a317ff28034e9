package ai.calling.contact;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.springframework.http.HttpStatus;
import org.springframework.web.multipart.MultipartFile;

import ai.calling.common.ApiException;
import ai.calling.common.PhoneNumbers;
import ai.calling.contact.ContactDtos.InvalidRow;

/**
 * The contact CSV format, shared by the contact upload and a campaign's recipients upload: UTF-8
 * with or without BOM, comma or semicolon, header names matched case-insensitively with common
 * aliases (phone, name, email, company, notes). Rows are read as a stream and validated one by one
 * (a bad row is reported, never stops the good ones). Row numbers are the spreadsheet's: the header
 * is row 1. Pure: no Spring bean, no database, so its rules are unit-tested in milliseconds.
 */
public final class ContactCsv {

    /** What browsers and spreadsheets send a CSV as (octet-stream only with a .csv name). */
    public static final Set<String> MEDIA_TYPES = Set.of("text/csv", "application/csv", "text/plain",
            "application/vnd.ms-excel", "text/comma-separated-values", "application/octet-stream");

    private static final Map<String, String> HEADER_ALIASES = aliases();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final List<Map.Entry<String, Integer>> MAX_LENGTHS = List.of(
            Map.entry("phone", ContactDtos.MAX_PHONE), Map.entry("name", ContactDtos.MAX_TEXT),
            Map.entry("email", ContactDtos.MAX_TEXT), Map.entry("company", ContactDtos.MAX_TEXT),
            Map.entry("notes", ContactDtos.MAX_NOTES));

    private ContactCsv() {
    }

    /** One valid row: the number in E.164, the other cells trimmed (null when empty), e-mail lower-cased. */
    public record Row(int row, String phoneNumber, String name, String email, String company, String notes) {
    }

    /**
     * The file read: every non-blank data row counted, the valid ones unique by number (the first
     * kept, in file order), how many repeated a number already read, and the refused ones.
     */
    public record Parsed(int totalRows, List<Row> rows, int duplicatesInFile, List<InvalidRow> invalid) {
    }

    /**
     * Checks an uploaded part is a non-empty CSV and opens it: 415 for another type, 400 when empty.
     * {@code what} names the rows in messages ("contacts", "recipients").
     */
    public static InputStream open(MultipartFile file, String what) throws IOException {
        String type = file.getContentType() == null ? "" : file.getContentType().toLowerCase(Locale.ROOT).split(";")[0].trim();
        String filename = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        boolean csv = MEDIA_TYPES.contains(type) && (!type.equals("application/octet-stream") || filename.endsWith(".csv"));
        if (!csv) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                    "Upload the " + what + " as a CSV file (text/csv)");
        }
        if (file.isEmpty()) {
            throw ApiException.badRequest("The file is empty: it needs a header row and at least one row of " + what);
        }
        return file.getInputStream();
    }

    /**
     * Reads the whole file. More than {@code maxRows} data rows is a 413 (nothing is kept); a file that
     * is not UTF-8 CSV text, or has no phone column, is a 400.
     */
    public static Parsed read(InputStream input, String defaultRegion, int maxRows, String what) {
        Map<String, Row> valid = new LinkedHashMap<>();
        List<InvalidRow> invalid = new ArrayList<>();
        int totalRows = 0;
        int duplicatesInFile = 0;
        // the row as a spreadsheet numbers it: the header is row 1, and blank rows (empty lines too) keep numbers
        int row = 1;
        try (BufferedReader reader = reader(input); CSVParser parser = format(reader, what).parse(reader)) {
            Columns columns = Columns.of(parser.getHeaderNames());
            for (CSVRecord record : parser) {
                row++;
                if (isBlank(record)) {
                    continue;
                }
                totalRows++;
                if (totalRows > maxRows) {
                    throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                            "The file has more than " + maxRows + " " + what + "; split it and upload the parts");
                }
                Optional<String> e164 = PhoneNumbers.toE164(columns.get(record, "phone"), defaultRegion);
                Optional<String> reason = reasonInvalid(columns, record, e164.isPresent());
                if (reason.isPresent()) {
                    invalid.add(new InvalidRow(row, reason.get()));
                    continue;
                }
                Row parsed = new Row(row, e164.orElseThrow(), columns.get(record, "name"),
                        lower(columns.get(record, "email")), columns.get(record, "company"), columns.get(record, "notes"));
                if (valid.putIfAbsent(parsed.phoneNumber(), parsed) != null) {
                    duplicatesInFile++;
                }
            }
        } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw ApiException.badRequest("The file is not UTF-8 text; export it as CSV (UTF-8)");
            }
            throw ApiException.badRequest("The file is not a readable CSV: " + safe(e.getMessage()));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The file is not UTF-8 text; export it as CSV (UTF-8)");
        } catch (IOException e) {
            throw ApiException.badRequest("The file could not be read as CSV");
        }
        return new Parsed(totalRows, List.copyOf(valid.values()), duplicatesInFile, invalid);
    }

    /** The same rules as the API's (ContactDtos): lengths, no NUL character, a valid number and e-mail. */
    private static Optional<String> reasonInvalid(Columns columns, CSVRecord record, boolean validNumber) {
        for (String value : record) {
            if (value != null && value.indexOf('\0') >= 0) {
                return Optional.of("a cell contains the NUL character");
            }
        }
        for (Map.Entry<String, Integer> limit : MAX_LENGTHS) {
            String value = columns.get(record, limit.getKey());
            if ("email".equals(limit.getKey())) {
                // as stored: lower case can be longer (İ becomes i and a combining dot)
                value = lower(value);
            }
            if (value != null && value.length() > limit.getValue()) {
                return Optional.of(limit.getKey() + " is longer than " + limit.getValue() + " characters");
            }
        }
        String rawPhone = columns.get(record, "phone");
        if (rawPhone == null) {
            return Optional.of("phone number is missing");
        }
        if (!validNumber) {
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
    private static CSVFormat format(BufferedReader reader, String what) throws IOException {
        reader.mark(64 * 1024);
        String header = reader.readLine();
        reader.reset();
        if (header == null || header.isBlank()) {
            throw ApiException.badRequest("The file is empty: it needs a header row and at least one row of " + what);
        }
        if (header.indexOf('\0') >= 0) {
            throw ApiException.badRequest("The file is not a CSV text file");
        }
        char delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(false).setTrim(true).setAllowMissingColumnNames(true)
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
