package ai.calling.common;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;

/**
 * A CSV download that a spreadsheet opens safely: a cell starting with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is written with a leading
 * {@code '}, so it is shown as text instead of run as a formula, except a cell that is wholly a number
 * or an E.164 phone number, which cannot carry one and stays as it is. Every CSV this server writes
 * goes through here, including values that came from what a caller said.
 */
public final class SpreadsheetCsv {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");

    private final CSVPrinter printer;

    private SpreadsheetCsv(CSVPrinter printer) {
        this.printer = printer;
    }

    /** Starts the download {@code filename} with its header row. */
    public static SpreadsheetCsv download(HttpServletResponse response, String filename, String... header)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        OutputStreamWriter writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        return new SpreadsheetCsv(CSVFormat.DEFAULT.builder().setHeader(header).get().print(writer));
    }

    /** One row, each value neutralised. */
    public void row(Object... values) {
        try {
            printer.printRecord(Arrays.stream(values).map(SpreadsheetCsv::cell).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() throws IOException {
        printer.flush();
    }

    /** The value as it may stand in a spreadsheet cell (null stays empty). */
    public static Object cell(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (text.isEmpty() || "=+-@\t\r".indexOf(text.charAt(0)) < 0 || NUMBER.matcher(text).matches()
                || E164.matcher(text).matches()) {
            return text;
        }
        return "'" + text;
    }
}
