package dev.parley.server.boot;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One log record as one line of JSON: time, level, logger, thread, message, the call's request_id (from the MDC)
 * and the stack trace if any. Written here rather than taken from JBoss LogManager's JsonFormatter, which needs
 * JSON-P on the boot class path.
 */
final class JsonLogFormatter extends ExtFormatter {

    @Override
    public String format(ExtLogRecord record) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(line, "level", record.getLevel().getName()).append(',');
        field(line, "loggerName", record.getLoggerName()).append(',');
        field(line, "thread", record.getThreadName()).append(',');
        field(line, "message", formatMessage(record));
        String requestId = record.getMdc("request_id");
        if (requestId != null && !requestId.isEmpty()) {
            field(line.append(','), "request_id", requestId);
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(line.append(','), "exception", trace.toString());
        }
        return line.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":\"");
        String text = value == null ? "" : value;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        return line.append('"');
    }
}
