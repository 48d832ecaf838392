package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.NodeScripts;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The core scenarios (sign up, log in, send, stream, resume, typed errors) give the same results over native gRPC
 * from Java and over gRPC-Web from a Node client, against the packaged server.
 */
class ConformanceIT {

    private static final String DATABASE = "parley_it_conformance";

    @Test
    void nativeGrpcAndGrpcWebGiveTheSameResults() throws Exception {
        TestServices.dropDatabase(DATABASE);
        try (ServerProcess server = ServerProcess.start("conformance", Map.of("PARLEY_DATABASE_URL",
                "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE))) {
            server.awaitServing();
            List<String> overNative = new NativeScenarios(server.channel()).run();
            List<String> overGrpcWeb = NodeScripts.run("test/conformance.mjs", "http://127.0.0.1:" + server.port());

            assertThat(overNative).hasSize(16).allSatisfy(line -> assertThat(line).doesNotContain("unexpected"));
            assertThat(overGrpcWeb).containsExactlyElementsOf(overNative);
        }
    }
}
