package dev.parley.loadgen;

import java.util.HashMap;
import java.util.Map;

/** Command-line options of the form {@code --name=value}, with defaults. */
record Options(Map<String, String> values) {

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options look like --name=value, not " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return new Options(values);
    }

    String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    int number(String name, int defaultValue) {
        return Integer.parseInt(values.getOrDefault(name, Integer.toString(defaultValue)));
    }
}
