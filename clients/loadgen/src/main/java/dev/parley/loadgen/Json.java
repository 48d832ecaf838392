package dev.parley.loadgen;

import java.util.Iterator;
import java.util.Map;

/** The one JSON line a run prints: numbers, strings and nested maps, keys in insertion order. */
final class Json {

    private Json() {
    }

    static String of(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder("{");
        Iterator<? extends Map.Entry<String, ?>> entries = fields.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, ?> entry = entries.next();
            json.append('"').append(entry.getKey()).append("\":").append(value(entry.getValue()));
            if (entries.hasNext()) {
                json.append(',');
            }
        }
        return json.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static String value(Object value) {
        if (value instanceof Map<?, ?> map) {
            return of((Map<String, ?>) map);
        }
        if (value instanceof String text) {
            return '"' + text.replace("\"", "\\\"") + '"';
        }
        if (value instanceof Double d) {
            return String.format(java.util.Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }
}
