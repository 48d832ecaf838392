package dev.parley.server.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in /q/health whether this node reaches Redis. Always UP: a node without Redis still serves its own clients
 * (sends, history, its own streams live), so it must stay in rotation; the data says it runs degraded, with
 * fan-out to other nodes paused and limits counted per node, until Redis is back.
 */
@Readiness
@ApplicationScoped
class BusHealth implements HealthCheck {

    private final NodeBus bus;

    BusHealth(NodeBus bus) {
        this.bus = bus;
    }

    @Override
    public HealthCheckResponse call() {
        var answer = HealthCheckResponse.named("cluster-bus").up();
        if (!bus.clustered()) {
            return answer.withData("mode", "single node").build();
        }
        boolean reached = bus.connected();
        return answer.withData("mode", "clustered").withData("redis", reached ? "connected" : "unreachable")
                .withData("degraded", !reached).build();
    }
}
