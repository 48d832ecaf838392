package dev.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders each overlay of k8s/ with kubectl kustomize, reads every object strictly as its Kubernetes API type (a
 * misspelt or misplaced field fails), and checks that ports, probes, images and variables agree with the server.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("..");
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/Namespace", Namespace.class, "v1/Service", Service.class, "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class, "apps/v1/Deployment", Deployment.class, "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachOverlayRendersToValidObjectsThatAgreeWithTheServer(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        Deployment server = only(objects, Deployment.class, "parley-server");
        Container container = server.getSpec().getTemplate().getSpec().getContainers().get(0);
        ConfigMap settings = objects.stream().filter(o -> o instanceof ConfigMap c
                && c.getMetadata().getName().startsWith("parley-server-")).map(ConfigMap.class::cast).findFirst()
                .orElseThrow();
        Map<String, String> env = settings.getData();

        int grpcPort = Integer.parseInt(env.get("PARLEY_GRPC_PORT"));
        int httpPort = Integer.parseInt(env.get("PARLEY_PORT"));
        assertThat(port(container, "grpc")).isEqualTo(grpcPort);
        assertThat(port(container, "http")).isEqualTo(httpPort);
        assertThat(port(container, "management")).isEqualTo(Integer.parseInt(env.get("PARLEY_MANAGEMENT_PORT")));
        assertThat(env).as("Prometheus scrapes the pod's address, not its loopback")
                .containsEntry("PARLEY_MANAGEMENT_HOST", "0.0.0.0");
        for (var probe : List.of(container.getStartupProbe(), container.getReadinessProbe(),
                container.getLivenessProbe())) {
            assertThat(probe.getGrpc().getPort()).as("native gRPC probes on the gRPC port").isEqualTo(grpcPort);
        }
        assertThat(server.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", env.get("PARLEY_MANAGEMENT_PORT"));
        Duration drain = Duration.parse(env.get("PARLEY_SHUTDOWN_DELAY")).plus(Duration.parse(
                env.get("PARLEY_SHUTDOWN_TIMEOUT")));
        assertThat(server.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("grace period covers the drain").isGreaterThan(drain.toSeconds());
        assertThat(server.getSpec().getReplicas()).isEqualTo(3);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(server.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getImage()).matches("[a-z0-9.-]+/[a-z0-9/-]+:[0-9][0-9A-Za-z.-]*")
                .doesNotEndWith(":latest");

        List<String> settingsNames = settingNames();
        List<String> used = new ArrayList<>(env.keySet());
        container.getEnv().forEach(variable -> used.add(variable.getName()));
        assertThat(used.stream().filter(name -> name.startsWith("PARLEY_")))
                .as("every PARLEY_ variable is one the server reads").allMatch(settingsNames::contains);

        Service headless = only(objects, Service.class, "parley-server");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPorts()).anyMatch(p -> p.getPort() == grpcPort)
                .anyMatch(p -> p.getPort() == httpPort);

        String envoyYaml = Files.readString(ROOT.resolve("web-proxy/envoy.yaml"));
        ConfigMap envoyConfig = objects.stream().filter(o -> o instanceof ConfigMap c
                && c.getMetadata().getName().startsWith("parley-envoy-")).map(ConfigMap.class::cast).findFirst()
                .orElseThrow();
        assertThat(envoyConfig.getData().get("envoy.yaml")).as("generated from web-proxy/envoy.yaml")
                .isEqualTo(envoyYaml);
        assertThat(envoyYaml).contains("address: parley-server, port_value: " + grpcPort)
                .contains("address: parley-server, port_value: " + httpPort);
        Container envoy = only(objects, Deployment.class, "parley-envoy").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(envoyYaml).contains("port_value: " + port(envoy, "http"));

        assertThat(only(objects, PodDisruptionBudget.class, "parley-server").getSpec().getMinAvailable().getIntVal())
                .isLessThan(server.getSpec().getReplicas());
        assertThat(only(objects, HorizontalPodAutoscaler.class, "parley-server").getSpec().getMinReplicas())
                .isEqualTo(server.getSpec().getReplicas());
        assertThat(objects.stream().filter(NetworkPolicy.class::isInstance).count()).isGreaterThanOrEqualTo(3);

        boolean inCluster = objects.stream().anyMatch(o -> o instanceof StatefulSet);
        assertThat(inCluster).as("PostgreSQL and Redis run in the cluster only in dev").isEqualTo(overlay.equals("dev"));
        if (overlay.equals("prod")) {
            assertThat(objects).noneMatch(o -> o instanceof Secret).as("production secrets are never committed");
            assertThat(container.getEnv()).anyMatch(v -> v.getName().equals("PARLEY_AUTH_JWT_PRIVATE_KEY_PATH"));
        }
    }

    private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                "k8s/overlays/" + overlay).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize:\n" + rendered).isZero();
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) document;
            String type = raw.get("apiVersion") + "/" + raw.get("kind");
            assertThat(TYPES).as("a known API type").containsKey(type);
            HasMetadata object = JSON.convertValue(raw, TYPES.get(type));
            assertStrict(object, type + " " + object.getMetadata().getName());
            objects.add(object);
        }
        return objects;
    }

    /** Fields the API type does not have end up in additionalProperties: anywhere in the tree, that is an error. */
    private static void assertStrict(Object node, String path) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node.getClass().isEnum()) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> assertStrict(item, path + "[]"));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertStrict(value, path + "." + key));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    assertThat((Map<?, ?>) value).as("unknown fields at " + path).isNullOrEmpty();
                } else {
                    assertStrict(value, path + "." + getter.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The PARLEY_ variables the server reads: in application.properties, or documented in the README's table. */
    private static List<String> settingNames() throws IOException {
        String sources = Files.readString(Path.of("src/main/resources/application.properties"))
                + Files.readString(ROOT.resolve("README.md"));
        return Pattern.compile("PARLEY_[A-Z0-9_]+").matcher(sources).results().map(m -> m.group()).distinct()
                .toList();
    }

    private static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
}
