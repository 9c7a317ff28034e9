package ai.calling.account;

import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.account.internal.TenantExportQueries;
import ai.calling.account.internal.TenantExportQueries.Section;
import ai.calling.common.ApiException;
import ai.calling.common.Rows;
import ai.calling.config.HttpLimitsProperties;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a tenant has, as one JSON document written while it is read: the account, agents,
 * contacts, calls, transcripts, lead analyses and the credit ledger. One read-only transaction (a
 * consistent snapshot); rows go from the database cursor to the client one at a time, so the size of
 * the account does not matter to the server's memory. Only the caller's own rows: every query is
 * bound to the caller's id.
 */
@Service
public class TenantExport {

    private final TenantExportQueries queries;
    private final TransactionTemplate readOnly;
    private final JsonMapper json;
    private final Clock clock;

    private final Semaphore running;

    TenantExport(TenantExportQueries queries, TransactionTemplate transactions, JsonMapper json, Clock clock,
            HttpLimitsProperties limits) {
        this.running = new Semaphore(Math.max(1, limits.maxConcurrentExports()));
        this.queries = queries;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager(), transactions);
        this.readOnly.setReadOnly(true);
        this.json = json;
        this.clock = clock;
    }

    /**
     * Claims one of the instance's export places ({@code app.http.max-concurrent-exports}): 429 when all are taken.
     * An export holds a pooled connection and its transaction for as long as its client takes to read it, so a few
     * slow or stalled downloads would otherwise take every connection of the pool. Release it with
     * {@link Place#close}.
     */
    public Place claimPlace() {
        if (!running.tryAcquire()) {
            throw ApiException.tooManyRequests("Other exports are being downloaded from this server; try again in a "
                    + "minute", 60);
        }
        return running::release;
    }

    /** A claimed export place, released once. */
    public interface Place extends AutoCloseable {
        @Override
        void close();
    }

    public void write(UUID userId, OutputStream out) {
        // a failure midway leaves the document unfinished: closed automatically, every open array and object was
        // ended, and an export broken off parsed as a whole one with its later sections missing
        try (JsonGenerator generator = json.writer().without(StreamWriteFeature.AUTO_CLOSE_CONTENT)
                .createGenerator(out)) {
            readOnly.executeWithoutResult(tx -> {
                generator.writeStartObject();
                generator.writeStringProperty("exportedAt", clock.instant().toString());
                generator.writeName(Section.ACCOUNT.field());
                boolean[] found = { false };
                queries.forEach(Section.ACCOUNT, userId, row -> {
                    writeRow(generator, row);
                    found[0] = true;
                });
                if (!found[0]) {
                    generator.writeNull();
                }
                for (Section section : Section.values()) {
                    if (section == Section.ACCOUNT) {
                        continue;
                    }
                    generator.writeName(section.field());
                    generator.writeStartArray();
                    queries.forEach(section, userId, row -> writeRow(generator, row));
                    generator.writeEndArray();
                    generator.flush();
                }
                generator.writeEndObject();
            });
        }
    }

    /** A row as an object: columns in camelCase; times as ISO-8601 instants. */
    private static void writeRow(JsonGenerator generator, ResultSet row) throws SQLException {
        ResultSetMetaData meta = row.getMetaData();
        generator.writeStartObject();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            generator.writeName(Rows.camelCase(meta.getColumnLabel(i)));
            Object value = row.getObject(i);
            if (value == null) {
                generator.writeNull();
            } else if (meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                    || meta.getColumnType(i) == Types.TIMESTAMP) {
                generator.writeString(row.getObject(i, OffsetDateTime.class).toInstant().toString());
            } else if (value instanceof Boolean b) {
                generator.writeBoolean(b);
            } else if (value instanceof Integer n) {
                generator.writeNumber(n);
            } else if (value instanceof Long n) {
                generator.writeNumber(n);
            } else {
                generator.writeString(value.toString());
            }
        }
        generator.writeEndObject();
    }
}
