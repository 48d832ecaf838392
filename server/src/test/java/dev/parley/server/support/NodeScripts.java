package dev.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The web client's Node scripts (clients/web/test): the other half of a test, in another client library. */
public final class NodeScripts {

    private static final Path WEB_CLIENT = Path.of("..", "clients", "web");

    private NodeScripts() {
    }

    /** Runs a script and returns its output lines; fails with its output if it exits non-zero. */
    public static List<String> run(String script, String... arguments) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(WEB_CLIENT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("node " + script + " exited with:\n" + text).isZero();
        return text.lines().toList();
    }
}
