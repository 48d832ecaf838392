package dev.parley.server.boot;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * At the start of shutdown the node reports NOT_SERVING on grpc.health.v1, so Envoy's health checks and Kubernetes'
 * readiness probe take it out of rotation during the pre-shutdown delay, before it stops answering.
 */
@ApplicationScoped
class Draining {

    void notServing(@Observes ShutdownDelayInitiatedEvent event, Instance<GrpcHealthStorage> health) {
        if (health.isResolvable()) {
            health.get().setStatus(GrpcHealthStorage.DEFAULT_SERVICE_NAME, ServingStatus.NOT_SERVING);
        }
    }
}
