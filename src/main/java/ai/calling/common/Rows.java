package ai.calling.common;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of reporting queries as JSON-ready maps: camelCase keys as every answer, instants for timestamps. */
public final class Rows {

    private Rows() {
    }

    /** A RowMapper-compatible mapper. */
    public static Map<String, Object> map(ResultSet rs, int rowNumber) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(camelCase(meta.getColumnLabel(i)), value(rs.getObject(i)));
        }
        return row;
    }

    public static List<Map<String, Object>> camelCase(List<Map<String, Object>> rows) {
        return rows.stream().map(Rows::camelCase).toList();
    }

    public static Map<String, Object> camelCase(Map<String, Object> row) {
        Map<String, Object> converted = new LinkedHashMap<>();
        row.forEach((key, value) -> converted.put(camelCase(key), value(value)));
        return converted;
    }

    private static Object value(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return value;
    }

    /** A column's name as a JSON field: snake_case to camelCase. */
    public static String camelCase(String snake) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
