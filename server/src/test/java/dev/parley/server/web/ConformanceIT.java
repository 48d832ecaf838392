package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The core scenarios (sign up, log in, send, stream, resume, typed errors) give the same results over native gRPC
 * from Java and over gRPC-Web from a Node client, against the packaged server.
 */
class ConformanceIT {

    private static final String DATABASE = "parley_it_conformance";
    static final Path WEB_CLIENT = Path.of("..", "clients", "web");

    @Test
    void nativeGrpcAndGrpcWebGiveTheSameResults() throws Exception {
        recreate(DATABASE);
        try (ServerProcess server = ServerProcess.start("conformance", Map.of("PARLEY_DATABASE_URL",
                "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE))) {
            server.awaitServing();
            List<String> overNative = new NativeScenarios(server.channel()).run();
            List<String> overGrpcWeb = node("test/conformance.mjs", "http://127.0.0.1:" + server.port());

            assertThat(overNative).hasSize(16).allSatisfy(line -> assertThat(line).doesNotContain("unexpected"));
            assertThat(overGrpcWeb).containsExactlyElementsOf(overNative);
        }
    }

    /** Runs a Node script of the web client and returns its output lines; fails with its output if it fails. */
    static List<String> node(String script, String... arguments) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(WEB_CLIENT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("node " + script + " exited with:\n" + text).isZero();
        return text.lines().toList();
    }

    static void recreate(String database) throws Exception {
        try (var connection = DriverManager.getConnection(
                "jdbc:postgresql://" + TestServices.HOST + ":5432/postgres", "postgres", "")) {
            connection.createStatement().execute("drop database if exists " + database + " with (force)");
        }
    }
}
