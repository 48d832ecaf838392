package dev.parley.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintStream;

/** Text for people, or one JSON object per line for scripts (protobuf's JSON mapping of the server's answer). */
final class Output {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private final PrintStream out;
    final boolean json;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Prints the answer as JSON, or the given text. */
    void print(MessageOrBuilder answer, String text) {
        out.println(json ? toJson(answer) : text);
    }

    void text(String line) {
        if (!json) {
            out.println(line);
        }
    }

    static String toJson(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
