package dev.parley.server.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The server with its files in S3: an S3Proxy of the tests' own ({@link S3ProxyServer}), started for this profile. */
public class S3Storage implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("parley.attachments.store", "s3", "parley.attachments.s3.bucket", "parley-test-files");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3ProxyServer.class));
    }
}
